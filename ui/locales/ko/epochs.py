"""에포크와 조기 종료 페이지."""

STRINGS: dict[str, str] = {
    "epochs.title": "에포크와 조기 종료",
    "epochs.intro": "**에포크**(epoch) 하나는 훈련 데이터 전체를 한 바퀴 도는 것입니다. 에포크를 늘리면 "
    "*같은* 예제로 더 많이 연습하게 됩니다. 너무 적으면 아직 패턴을 못 배운 상태(**과소적합**)이고, "
    "너무 많으면 이 예제들에만 있는 잡음까지 외워 버립니다(**과적합**). 아래에서는 PyTorch로 "
    "실제 모델을 학습시키고, 원하는 에포크로 되감아 볼 수 있습니다.",
    "epochs.scrub.title": "1 · 학습 과정 되감아 보기",
    "epochs.points": "훈련 데이터 개수",
    "epochs.points.help": "모델이 배우는 잡음 섞인 예제의 수입니다. 적을수록 더 빨리 과적합됩니다.",
    "epochs.seed": "데이터 시드",
    "epochs.seed.help": "어떤 무작위 점(과 잡음)이 나올지 정합니다. 시드가 같으면 결과도 항상 같습니다.",
    "epochs.training": "학습 중…",
    "epochs.presets": "바로 가기",
    "epochs.preset.under": "너무 이른 때 (에포크 {epoch})",
    "epochs.preset.good": "가장 좋은 때 (에포크 {epoch})",
    "epochs.preset.over": "너무 늦은 때 (에포크 {epoch})",
    "epochs.epoch": "에포크",
    "epochs.epoch.help": "학습이 끝난 결과를 이 에포크가 끝난 시점으로 되감습니다(0 = 학습 전). "
    "에포크마다 곡선을 저장해 두었기 때문에 다시 학습하지 않습니다.",
    "epochs.fit.truth": "실제 패턴",
    "epochs.fit.model": "모델",
    "epochs.fit.points": "훈련 데이터",
    "epochs.fit.x": "입력 x",
    "epochs.fit.y": "출력 y",
    "epochs.loss.train": "훈련 손실",
    "epochs.loss.val": "검증 손실",
    "epochs.loss.under": "과소적합",
    "epochs.loss.good": "적당함",
    "epochs.loss.over": "과적합",
    "epochs.loss.x": "에포크",
    "epochs.loss.y": "손실 (MSE, 로그 눈금)",
    "epochs.loss.current": "지금",
    "epochs.m.train": "훈련 손실",
    "epochs.m.val": "검증 손실",
    "epochs.m.best": "최고 에포크 (검증 손실 최저)",
    "epochs.m.best.help": "학습에 쓰지 않은 데이터에서 모델이 가장 잘한 에포크입니다.",
    "epochs.phase.start": "**에포크 0**: 아직 학습 전이라 곡선은 무작위로 정해진 처음 모습 그대로입니다.",
    "epochs.phase.under": "**에포크 {epoch}: 과소적합.** 곡선이 아직 모양을 따라가지 못하고, 두 손실 모두 "
    "내려가는 중입니다. 여기서는 에포크를 늘리면 좋아집니다.",
    "epochs.phase.good": "**에포크 {epoch}: 적당함.** 곡선이 점 하나하나가 아니라 전체 패턴을 따라갑니다. "
    "검증 손실도 가장 낮은 값(에포크 {best}) 근처입니다.",
    "epochs.phase.over": "**에포크 {epoch}: 과적합.** 훈련 손실은 계속 줄지만, 곡선이 잡음 섞인 점들을 "
    "억지로 지나가려고 휘어지면서 검증 손실이 올라갑니다. 패턴 대신 이 점들을 외우고 있는 것입니다.",
    "epochs.stop.title": "2 · 조기 종료",
    "epochs.stop.intro": "알맞은 에포크 수를 미리 맞힐 필요는 없습니다. Keras의 **EarlyStopping**(조기 종료)은 "
    "에포크가 끝날 때마다 검증 손실(`val_loss`)을 확인하다가, **patience**번 연속으로 나아지지 않으면 학습을 "
    "멈춥니다. 지금까지의 최고 기록보다 **min_delta** 넘게 낮아져야 나아진 것으로 칩니다(처음 확인한 에포크는 "
    "언제나 그때까지의 최고 기록입니다). **restore_best_weights**를 켜면 끝날 때 가장 좋았던 에포크의 가중치로 "
    "되돌아갑니다. Keras 3 콜백에서 덜 쓰이는 두 옵션(**baseline**, **start_from_epoch**)도 여기서 Keras와 "
    "똑같이 적용합니다.",
    "epochs.data": "지켜볼 검증 손실",
    "epochs.data.help": "위의 곡선(만든 점들), 또는 실제 학습: 진짜 손글씨 숫자로 학습한 노트의 Keras 모델.",
    "epochs.data.synthetic": "위의 곡선",
    "epochs.data.digits": "진짜 손글씨 숫자",
    "epochs.stop.digits": "노트의 Keras 모델(`Dense(128, relu)`, `Dense(10)`, Adam)을 진짜 손글씨 숫자로 학습했습니다. "
    "훈련 이미지 {train}장, 검증 이미지 {val}장(`validation_split=0.2`), 배치 크기 {b}, {epochs} 에포크, 시드 "
    "{seed}(위의 슬라이더)입니다. 실제 검증 손실은 가장 낮은 곳 근처에서 들쭉날쭉합니다. 아래 표에서 patience가 작을 "
    "때와 클 때 어디서 멈추는지 비교해 보세요.",
    "epochs.patience": "patience (에포크)",
    "epochs.patience.help": "나아지지 않는 에포크를 몇 번 연속까지 참고 기다릴지 정합니다.",
    "epochs.min_delta": "min_delta",
    "epochs.min_delta.help": "검증 손실이 이 값보다 더 많이 줄어야 나아진 것으로 인정합니다.",
    "epochs.restore": "restore_best_weights",
    "epochs.restore.help": "끝날 때 마지막 가중치 대신 가장 좋았던 에포크의 가중치로 되돌립니다.",
    "epochs.baseline": "baseline",
    "epochs.baseline.help": "검증 손실이 그 아래로 내려가야 하는 기준값입니다. 나아진 에포크라도 이 기준보다 "
    "낮아야만 patience 세기를 처음부터 다시 시작합니다. 기준 아래로 내려간 에포크가 없으면, patience만큼 "
    "에포크가 지난 뒤 처음으로 나아지지 않은 에포크에서 멈춥니다.",
    "epochs.baseline.none": "없음",
    "epochs.start": "start_from_epoch",
    "epochs.start.help": "처음 몇 에포크를 조기 종료가 아예 보지 않을지 정합니다(워밍업). 그 뒤부터 세기 시작하며, "
    "처음 본 에포크는 손실이 얼마든 지금까지의 최고 기록이 됩니다.",
    "epochs.stopchart.ran": "검증 손실 (학습한 구간)",
    "epochs.stopchart.skipped": "조기 종료로 아낀 에포크",
    "epochs.stopchart.best": "최고: {epoch}",
    "epochs.stopchart.stop": "종료: {epoch}",
    "epochs.stopchart.x": "에포크",
    "epochs.stopchart.y": "검증 손실 (로그 눈금)",
    "epochs.m.stopped": "멈춘 에포크",
    "epochs.m.never": "멈추지 않음",
    "epochs.m.best_epoch": "최고 에포크",
    "epochs.m.final": "최종 검증 손실",
    "epochs.m.final.help": "restore_best_weights를 켜면 최고 에포크의 손실, 끄면 마지막 에포크의 손실입니다.",
    "epochs.stop.result": "전체 {total} 에포크 중 **{stop}** 에포크만 학습했습니다. 최고 가중치(에포크 "
    "**{best}**)로 되돌리면 검증 손실은 **{restored}**, 마지막 가중치를 그대로 쓰면 **{last}**입니다.",
    "epochs.patience.table": "patience에 따라 멈추는 시점",
    "epochs.table.patience": "patience",
    "epochs.table.stop": "멈춘 에포크",
    "epochs.table.best": "최고 에포크",
    "epochs.table.restored": "검증 손실 (되돌림)",
    "epochs.table.last": "검증 손실 (마지막 가중치)",
    "epochs.log.title": "3 · 익숙한 학습 로그",
    "epochs.log.intro": "`model.fit(x, y, batch_size=…, epochs=…, validation_split=0.2)`을 실행하면 Keras가 이렇게 "
    "출력합니다. 여기서는 작은 신경망이 서로 겹친 두 점 구름을 구분하도록 배우며, 아래 로그는 이 설정으로 실제로 "
    "학습한 결과입니다.",
    "epochs.log.n": "샘플 수 N",
    "epochs.log.n.help": "전체 샘플 수입니다. Keras는 마지막 20%를 검증용으로 떼어 둡니다.",
    "epochs.log.batch": "batch_size",
    "epochs.log.epochs": "epochs",
    "epochs.log.style": "로그 형식",
    "epochs.log.style.help": "어느 Keras 버전의 로그를 어떤 `verbose` 설정으로 보여 줄지 고릅니다(노트의 로그는 "
    "Keras 2.15 형식).",
    "epochs.log.style.keras3": "Keras 3 (verbose=1)",
    "epochs.log.style.keras3_v2": "Keras 3 (verbose=2)",
    "epochs.log.style.keras2": "Keras 2.15 (노트)",
    "epochs.log.times": "각 줄의 시간은 이 서버가 학습하면서 잰 값입니다. 앞은 에포크 하나에 걸린 초, 뒤는 스텝당 "
    "시간(에포크 시간 ÷ 스텝 수)입니다. Keras 3에서는 더 느린 첫 스텝을 이 평균에서 뺍니다. 여러분의 컴퓨터에서는 "
    "시간이 다르게 나오지만, 다른 숫자는 설정이 같으면 누구에게나 같습니다.",
    "epochs.log.steps": "샘플 {n}개 중 훈련용은 **{train}**개이고, {train} ÷ {b}의 올림은 에포크당 **{steps} "
    "스텝**입니다. 에포크마다 진행 줄 맨 앞의 `{steps}/{steps}`에 나오는 숫자가 바로 이것입니다.",
    "epochs.log.notes": "노트에 나온 로그(Keras 2.15 형식)는 배치 크기 10에서 800/800이었습니다. 훈련 샘플 "
    "{train}개 ÷ {b} = 에포크당 {steps} 스텝입니다.",
    "epochs.acc.train": "훈련 정확도",
    "epochs.acc.val": "검증 정확도",
    "epochs.acc.x": "에포크",
    "epochs.acc.y": "정확도",
    "epochs.qa.title": "4 · 자주 묻는 질문",
    "epochs.qa.more.q": "에포크는 늘릴수록 무조건 좋을까?",
    "epochs.qa.more.a": "아닙니다. 피아노 곡 연습을 떠올려 보세요. 처음에는 악보를 보며 치다가, 나중에는 악보 없이 "
    "치고, 결국 눈을 감고도 칩니다. 그렇게만 연습하다 보면 악보 읽는 법을 잊어서 새 곡은 못 치게 될 수 있습니다. "
    "연습한 곡은 완벽하지만 처음 보는 곡에는 약한 상태, 이것이 과적합입니다. *악보를 보고* 잘 치는 정도에서 멈추는 "
    "편이 나을 때가 많습니다. 학습에서도 검증 손실을 지켜보다가 오르기 시작하면 멈추는데, 조기 종료가 바로 그 일을 "
    "합니다.",
    "epochs.qa.same_exam.q": "모의고사 1회분을 20번 푸는 것과 서로 다른 20회분을 한 번씩 푸는 것은 같을까?",
    "epochs.qa.same_exam.a": "완전히 같지는 않습니다. 같은 시험을 다시 풀 때마다 여러분은 조금 달라진 학생(가중치가 "
    "바뀐 모델)이라 여전히 배우는 것이 있습니다. 서로 다른 20회분은 더 다양한 문제를 보여 주니 외우기도 어렵습니다. "
    "어느 쪽이 나은지는 분야와 데이터에 따라 다릅니다. 다만 현실에서는 좋은 데이터를 구하기 어려워서 한정된 "
    "데이터로 여러 에포크를 학습하고, 그 데이터를 외워 버리는 것은 조기 종료로 막습니다.",
    "epochs.qa.start.q": "에포크와 patience는 처음에 얼마로 잡으면 좋을까?",
    "epochs.qa.start.a": "에포크는 넉넉하게 잡고, 언제 멈출지는 조기 종료에 맡기면 됩니다. 노트의 예시는 "
    "`epochs=50`, `batch_size=64`에 `EarlyStopping(monitor='val_loss', patience=3, restore_best_weights=True)`를 "
    "씁니다. 기본 예제들은 10이나 20 에포크를 학습합니다. patience는 3~10이 흔한데, 시간을 낭비하지 않을 만큼 짧고 "
    "한 번 흔들린 에포크는 넘길 만큼 깁니다. `restore_best_weights=True`를 켜 두지 않으면 조금 더 나빠진 마지막 "
    "가중치가 남습니다.",
}
