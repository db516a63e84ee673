"""lessons.tables: each chart's run as CSV rows holds exactly the run's numbers, and survives a CSV round trip."""

import io

import pandas as pd
import pytest

from ebcore.lessons import epochs as ep
from ebcore.lessons import exam, tables
from ebcore.lessons.batchnorm import experiment as bn
from ebcore.lessons.tradeoffs import experiment as tr
from ebcore.lessons.tradeoffs import measures
from tests.test_tradeoffs import sweep


def round_trip(rows: list[dict]) -> pd.DataFrame:
    """Write rows as the download button does and read them back as a spreadsheet would."""
    return pd.read_csv(io.StringIO(pd.DataFrame(rows).to_csv(index=False)))


@pytest.fixture(scope="module")
def exam_run():
    return exam.sit(10, 3, 1)


def test_exam_sittings_hold_each_sittings_numbers(exam_run):
    df = round_trip(tables.exam_sittings(exam_run))
    assert df["sitting"].tolist() == [1, 2, 3]
    assert df["mistakes"].tolist() == exam_run.mistakes
    assert df["new_exam_score"].tolist() == pytest.approx(exam_run.new_score)
    assert set(df["batch_size"]) == {10} and set(df["seed"]) == {1}


def test_exam_first_sitting_is_one_row_per_question(exam_run):
    df = round_trip(tables.exam_first_sitting(exam_run))
    assert df["question"].tolist() == list(range(1, exam.QUESTIONS + 1))
    assert df["right"].tolist() == exam_run.first_right and df["trick"].tolist() == exam_run.trick


def test_exam_study_pairs_each_seed_with_its_count():
    studies = [exam.BatchStudy(1, [3, 4]), exam.BatchStudy(100, [70, 80])]
    df = round_trip(tables.exam_study(studies, (0, 1)))
    assert df.to_dict("records") == [
        {"batch_size": 1, "seed": 0, "first_sitting_mistakes": 3},
        {"batch_size": 1, "seed": 1, "first_sitting_mistakes": 4},
        {"batch_size": 100, "seed": 0, "first_sitting_mistakes": 70},
        {"batch_size": 100, "seed": 1, "first_sitting_mistakes": 80},
    ]


def test_sweep_rows_follow_every_run_epoch_by_epoch():
    runs = sweep(tr.SweepSettings(b_min=64, b_max=256, epochs=2))
    df = round_trip(tables.sweep_epochs(runs))
    assert len(df) == sum(len(r.val_loss) for r in runs)
    for r in runs:
        mine = df[df["batch_size"] == r.batch]
        assert mine["epoch"].tolist() == [1, 2]
        assert mine["train_loss"].tolist() == pytest.approx(list(r.epoch_loss))
        assert mine["val_loss"].tolist() == pytest.approx(list(r.val_loss))


def test_gradient_noise_rows():
    points = [measures.NoisePoint(1, 2.0, 0.5), measures.NoisePoint(4, 1.0, 0.25)]
    assert tables.gradient_noise(points) == [
        {"batch_size": 1, "spread": 2.0, "relative_spread": 0.5},
        {"batch_size": 4, "spread": 1.0, "relative_spread": 0.25}]


@pytest.mark.parametrize("x_axis", tr.X_AXES)
def test_seed_curves_name_the_x_column_after_the_axis(x_axis):
    curves = tr.seed_experiment((0,), grid=((2, 128),))
    plotted = tr.curve_rows(curves, x_axis, "step")
    df = round_trip(tables.seed_curves(curves, x_axis, "step"))
    assert "x" not in df.columns and df[x_axis].tolist() == pytest.approx([p["x"] for p in plotted])
    assert df["loss"].tolist() == pytest.approx([p["loss"] for p in plotted])


def test_batchnorm_rows_cover_every_step_and_epoch():
    result = bn.compare(130, 50, "sgd", 0.1, 2, 1)
    steps = round_trip(tables.bn_steps(result.runs))
    acc = round_trip(tables.bn_accuracy(result.runs))
    for key, runs in result.runs.items():
        mine = steps[steps["run"] == key]
        assert mine["batch_size"].tolist() == runs[0].step_batch_size
        assert mine["loss"].tolist() == pytest.approx(runs[0].step_loss)
        assert acc[acc["run"] == key]["val_accuracy"].tolist() == pytest.approx(runs[0].val_accuracy)
    # The last batch of 30 shows up as the third step of each epoch when it is kept.
    keep = steps[steps["run"] == "keep"]["batch_size"].tolist()
    assert keep == [50, 50, 30, 50, 50, 30]


def test_curve_rows_and_the_fit_at_an_epoch():
    run = ep.train_curve(12, 0, epochs=8)
    losses = round_trip(tables.curve_losses(run))
    assert losses["epoch"].tolist() == list(range(1, 9))
    assert losses["val_loss"].tolist() == pytest.approx(run.val_loss)
    assert losses["phase"].tolist() == [p.value for p in ep.regions(run.val_loss)]
    fit = round_trip(tables.curve_fit(run, 5))
    curve, points = fit[fit["kind"] == "curve"], fit[fit["kind"] == "training_point"]
    assert curve["model"].tolist() == pytest.approx(run.snapshots[5].tolist())
    assert len(points) == 12 and points["model"].isna().all()


def test_early_stopping_rows_mark_the_best_and_the_stop():
    val = [1.0, 0.5, 0.6, 0.7, 0.8, 0.9]
    stop = ep.keras_early_stopping(val, 2)
    df = round_trip(tables.early_stopping(val, stop))
    assert df[df["best"]]["epoch"].tolist() == [stop.best_epoch] == [2]
    assert df[df["stopped_here"]]["epoch"].tolist() == [stop.stop_epoch] == [4]
    assert df["ran"].sum() == stop.epochs_run == 4


def test_keras_log_rows_are_the_logged_numbers():
    run = ep.keras_log_run(200, 32, 2)
    df = round_trip(tables.keras_log(run))
    assert df["epoch"].tolist() == [1, 2]
    assert df["val_accuracy"].tolist() == pytest.approx(run.val_accuracy)
    assert df["loss"].tolist() == pytest.approx(run.loss)
