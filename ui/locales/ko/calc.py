"""홈 페이지: 에포크와 배치 계산기."""

STRINGS: dict[str, str] = {
    "calc.title": "에포크와 배치",
    "calc.intro": "**에포크**(epoch)는 훈련 데이터 전체를 한 번 다 훑는 것이고, **배치 크기**(batch size)는 "
    "모델이 **가중치를 한 번 업데이트**하기 전에 보는 샘플 수입니다. 업데이트 한 번을 *이터레이션* 또는 "
    "*스텝*이라고 불러요. 숫자를 넣고 업데이트가 몇 번 일어나는지 확인해 보세요.",
    "calc.presets": "예제로 바로 보기",
    "calc.preset.notes320": "320 / 32 / 10",
    "calc.preset.notes320.help": "노트의 첫 예제: 샘플 320개, 배치 32, 에포크 10.",
    "calc.preset.notes200": "200 / 20 / 10",
    "calc.preset.notes200.help": "샘플 200개를 20개씩 묶어 10 에포크.",
    "calc.preset.exam100": "시험: 배치 100",
    "calc.preset.exam100.help": "시험 문제 100개를 다 풀고 나서 답안지를 한 번만 확인.",
    "calc.preset.exam10": "시험: 배치 10",
    "calc.preset.exam10.help": "시험 문제 100개, 10문제마다 답안지 확인.",
    "calc.preset.exam1": "시험: 배치 1",
    "calc.preset.exam1.help": "시험 문제 100개, 한 문제 풀 때마다 답안지 확인.",
    "calc.preset.n1000": "1000 / 50 / 20",
    "calc.preset.n1000.help": "샘플 1,000개, 배치 50, 에포크 20: 모두 400번 업데이트.",
    "calc.preset.keras800": "Keras 800/800",
    "calc.preset.keras800.help": "배치 10으로 800/800이 찍히는 Keras 로그: 훈련 샘플 8,000개.",
    "calc.preset.q1600": "1600 / 64",
    "calc.preset.q1600.help": "실제로 나온 질문: 샘플 1,600개에 배치 64면 에포크당 10번이 아니라 25번 "
    "업데이트합니다.",
    "calc.preset.bn1206": "1206 / 300 → 마지막 6",
    "calc.preset.bn1206.help": "배치 300이면 마지막 배치에 샘플이 6개만 남아요. 배치 정규화(BatchNorm) 문제.",
    "calc.n": "데이터셋 크기 N (샘플 수)",
    "calc.n.help": "한 에포크 동안 훑는 훈련 샘플의 개수.",
    "calc.batch": "배치 크기 B",
    "calc.batch.help": "가중치를 한 번 업데이트하기 전에 처리하는 샘플 수.",
    "calc.epochs": "에포크 수",
    "calc.epochs.help": "데이터 전체를 몇 번 반복해서 볼지.",
    "calc.drop_last": "drop_last (PyTorch)",
    "calc.drop_last.help": "DataLoader(..., drop_last=True)처럼 크기가 모자란 마지막 배치를 버립니다.",
    "calc.accum": "그래디언트 누적 K",
    "calc.accum.help": "배치(마이크로 배치) K개마다 가중치를 한 번 업데이트. 1이면 누적하지 않음.",
    "calc.gpus": "GPU 수 R (DistributedSampler)",
    "calc.gpus.help": "데이터 병렬 복제본 수. 각 GPU가 데이터를 나눠 받고 다 같이 한 걸음씩 나아갑니다.",
    "calc.advanced": "프레임워크 옵션: drop_last, 그래디언트 누적, 여러 GPU",
    "calc.m.updates_epoch": "에포크당 업데이트",
    "calc.m.updates_epoch.help": "한 에포크 동안 일어나는 가중치 업데이트(옵티마이저 스텝) 횟수.",
    "calc.m.total": "전체 업데이트",
    "calc.m.total.help": "에포크당 업데이트 × 에포크 수.",
    "calc.m.last": "마지막 배치",
    "calc.m.last.help": "한 에포크의 마지막 배치에 들어가는 샘플 수.",
    "calc.m.skipped": "에포크당 버려지는 샘플",
    "calc.m.skipped.help": "drop_last 때문에 매 에포크 빠지는 샘플 수.",
    "calc.m.regime": "학습 방식",
    "calc.m.regime.help": "업데이트 한 번이 어떤 경사 하강법에 해당하는지.",
    "calc.regime.batch": "배치 경사 하강법",
    "calc.regime.stochastic": "확률적 경사 하강법",
    "calc.regime.mini_batch": "미니배치 경사 하강법",
    "calc.regime.none": "업데이트 없음",
    "calc.regime.explain.batch": "업데이트마다 샘플을 **전부** 씁니다. 배치 경사 하강법이라 에포크당 "
    "업데이트는 한 번뿐이에요.",
    "calc.regime.explain.stochastic": "업데이트마다 샘플을 **하나만** 씁니다. 확률적 경사 하강법(SGD)이라 "
    "샘플 수만큼 업데이트해요.",
    "calc.regime.explain.mini_batch": "업데이트마다 **미니배치**를 씁니다. 두 극단 사이, 가장 흔히 쓰는 "
    "방식이에요.",
    "calc.regime.explain.none": "",
    "calc.sentence": "샘플 **{n}**개를 **{b}**개씩 묶으면 → 꽉 찬 배치 **{full}**개{partial} = 에포크당 "
    "**{iters}**번 반복. × **{epochs}** 에포크 = 가중치 업데이트 **{total}**번.",
    "calc.sentence.partial": " + 마지막 배치 1개(**{last}**개)",
    "calc.sentence.accum": "배치 **{k}**개씩 그래디언트를 누적하면 에포크당 **{updates}**번 업데이트합니다 "
    "(실질 배치 **{eff}**개).",
    "calc.sentence.gpus": "GPU **{r}**개로 나누면 GPU마다 샘플 **{share}**개를 받아 **{iters}**번 반복하고, "
    "모든 GPU를 합쳐 에포크당 샘플 **{processed}**개를 처리합니다.",
    "calc.none": "drop_last를 켠 상태에서 배치 {b}가 샘플 {n}개보다 커서, 로더가 **배치를 하나도** 내주지 "
    "않아요. 반복 0번, 업데이트 0번입니다. 배치 크기를 줄이거나 drop_last를 끄세요.",
    "calc.strip.title": "한 에포크를 배치 단위로 보기",
    "calc.strip.caption.replica": "GPU 한 대가 받는 몫(샘플 {share}개) 기준입니다.",
    "calc.strip.full": "꽉 찬 배치",
    "calc.strip.partial": "작은 마지막 배치",
    "calc.strip.dropped": "버려짐 (drop_last)",
    "calc.strip.gap": "⋯ {count} ⋯",
    "calc.strip.batch": "배치",
    "calc.strip.samples": "샘플",
    "calc.strip.size": "크기",
    "calc.strip.x": "순서대로 놓은 배치 (⋯ 숫자 ⋯ = 그림에서 생략한 배치 수)",
    "calc.keras.title": "Keras 화면에는 이렇게 찍혀요",
    "calc.keras.caption": "Keras는 스텝 수를 ceil(N / B)로 세고, 크기가 모자란 마지막 배치도 항상 학습에 씁니다.",
    "calc.warn.tiny": "마지막 배치에 샘플이 {b}개 중 **{last}**개뿐이에요. 배치 단위로 정규화하는 층"
    "(BatchNorm)은 평균과 분산을 이 {last}개로만 추정하니, 그 스텝은 흔들리는 통계로 엉뚱한 업데이트를 "
    "하게 됩니다.",
    "calc.warn.single": "마지막 배치에 샘플이 **딱 1개**예요. 학습 모드의 BatchNorm1d는 "
    "*“Expected more than 1 value per channel when training”* 오류를 냅니다.",
    "calc.warn.small": "마지막 배치가 {b}개 중 {last}개예요. 이렇게 적은 샘플로 낸 BatchNorm 통계는 꽤 "
    "흔들립니다.",
    "calc.warn.suggest": "문제가 없는 가까운 배치 크기:",
    "calc.warn.suggest.item": "B = {b} (마지막 배치 {last})",
    "calc.warn.fix_drop": "아니면 drop_last를 켜서 매 에포크 그 {last}개를 건너뛰세요.",
    "calc.warn.link": "작은 마지막 배치가 왜 문제일까?",
    "calc.table.title": "프레임워크 번역기",
    "calc.table.caption": "같은 N = {n}, B = {b}를 프레임워크마다 자기 방식으로 세면 이렇게 됩니다.",
    "calc.table.framework": "프레임워크 / 설정",
    "calc.table.batches": "에포크당 배치",
    "calc.table.updates": "에포크당 업데이트",
    "calc.table.last": "마지막 배치",
    "calc.table.note": "빠지거나 채워진 샘플",
    "calc.table.effective": "업데이트당 샘플",
    "calc.table.row.keras": "Keras model.fit(batch_size={b})",
    "calc.table.row.keras_split": "Keras, validation_split=0.2 (훈련 샘플 {train}개)",
    "calc.table.row.torch": "PyTorch DataLoader(batch_size={b})",
    "calc.table.row.torch_drop": "PyTorch DataLoader(..., drop_last=True)",
    "calc.table.row.accum": "그래디언트 누적, K = {k}",
    "calc.table.row.ddp": "DistributedSampler, GPU R = {r}개 (GPU당)",
    "calc.table.none": "—",
    "calc.table.skipped": "{count}개 버려짐",
    "calc.table.padded": "{count}개 중복 (패딩)",
    "calc.table.formula": "규칙",
    "calc.definitions": "에포크, 배치, 이터레이션: 용어 정리",
    "calc.definitions.body": "- **에포크**: 훈련 데이터 전체를 처음부터 끝까지 한 번 보는 것. `epochs=10`이면 "
    "데이터를 열 번 봅니다.\n"
    "- **배치 크기**: 가중치를 한 번 업데이트하기 전에 모델이 처리하는 샘플 수.\n"
    "- **이터레이션(스텝)**: 배치 하나를 처리하는 것 = 업데이트 한 번. 에포크당 업데이트 수 = 배치 개수.\n"
    "- **배치 = N**이면 *배치 경사 하강법*(에포크당 1번 업데이트), **배치 = 1**이면 *확률적 경사 하강법*"
    "(에포크당 N번), 그 사이는 *미니배치 경사 하강법*입니다.",
}
