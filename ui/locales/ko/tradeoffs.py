"""배치 크기의 장단점 페이지."""

STRINGS: dict[str, str] = {
    "trade.title": "배치 크기의 장단점",
    "trade.intro": "노트나 블로그에는 **작은 배치**와 **큰 배치**의 장단점이 정리되어 있습니다. 이 페이지에서는 "
    "각 주장 옆에 **이 컴퓨터에서 방금 잰 값**을 나란히 두고, 그 숫자로 판정을 내립니다. 아래에서 배치 크기를 "
    "바꿔 보며 어떤 주장이 여전히 맞는지 확인해 보세요.",
    "trade.presets": "바로 비교해 보기",
    "trade.preset.notes": "노트: 16 vs 128",
    "trade.preset.notes.help": "노트 실험에 나온 두 배치 크기, 16과 128.",
    "trade.preset.extremes": "1 vs 256 (전체 데이터)",
    "trade.preset.extremes.help": "샘플 하나마다 업데이트하는 SGD부터, 훈련 데이터 전체로 한 번 업데이트하는 "
    "배치 경사 하강법까지.",
    "trade.preset.digits": "노트: 16 vs 128 (진짜 숫자)",
    "trade.preset.digits.help": "노트의 16과 128 비교를 만든 점 대신 진짜 손글씨 숫자로 해 봅니다.",
    "trade.preset.scaling": "선형 스케일링 + 워밍업",
    "trade.preset.scaling.help": "배치가 커지는 만큼 학습률도 키우고(lr × B/32), 처음 3 에포크는 천천히 시작합니다.",
    "trade.bmin": "가장 작은 배치",
    "trade.bmin.help": "여기서 시작해 가장 큰 배치에 이를 때까지 배치 크기를 두 배씩 늘립니다.",
    "trade.bmax": "가장 큰 배치",
    "trade.bmax.help": "256은 훈련 데이터 전체입니다. 에포크마다 업데이트가 한 번뿐입니다.",
    "trade.epochs": "에포크 수",
    "trade.epochs.help": "배치 크기마다 훈련 샘플 256개를 처음부터 끝까지 몇 번 볼지 정합니다.",
    "trade.lr": "학습률 (SGD)",
    "trade.lr.help": "가중치를 한 번 업데이트할 때 움직이는 보폭입니다.",
    "trade.scale": "선형 스케일링 규칙",
    "trade.scale.help": "학습률에 B/32를 곱합니다. 배치가 두 배면 보폭도 두 배가 됩니다.",
    "trade.warmup": "워밍업 (3 에포크)",
    "trade.warmup.help": "학습률의 10%에서 시작해 처음 3 에포크 동안 원래 값까지 올립니다.",
    "trade.running": "배치 크기마다 모델을 하나씩 학습하는 중… (가중치 업데이트 총 {steps}번)",
    "trade.diverged": "발산",
    "trade.bn_error": "오류 (샘플 1개짜리 배치)",
    "trade.table.title": "주장을 직접 확인하기",
    "trade.table.one": "비교하려면 서로 다른 배치 크기 두 개를 골라 보세요.",
    "trade.data": "데이터",
    "trade.data.help": "만든 데이터는 2차원에서 서로 겹치는 점구름 두 개이고, 진짜 숫자는 손으로 쓴 숫자를 8 × "
    "8로 줄인 이미지(10가지)입니다. 은닉층(64개짜리 두 개)과 판정 규칙은 같습니다.",
    "trade.data.synthetic": "만든 데이터",
    "trade.data.digits": "진짜 손글씨 숫자",
    "trade.table.caption_digits": "가장 작은 배치(B = {small})와 가장 큰 배치(B = {large})를 비교했습니다. "
    "모델(픽셀 64개 입력, 64개짜리 은닉층 두 개, 숫자 10개 출력), 진짜 손글씨 숫자(앞의 이미지 {n}장으로 훈련, "
    "마지막 {val}장으로 검증), 시작 가중치는 모두 같습니다. 시간 측정 환경: {machine}. 판정은 모두 그 줄의 "
    "판정 기준을 표에 보이는 숫자 그대로에 적용한 결과입니다. 기준의 두 경계 사이에 있으면 판단하기 어렵다고 "
    "봅니다.",
    "trade.table.caption": "가장 작은 배치(B = {small})와 가장 큰 배치(B = {large})를 비교했습니다. 모델, "
    "데이터(훈련 샘플 {n}개, 검증 샘플 {val}개), 시작 가중치는 모두 같습니다. 시간 측정 환경: {machine}. 판정은 "
    "모두 그 줄의 판정 기준을 표에 보이는 숫자 그대로에 적용한 결과입니다. 기준의 두 경계 사이에 있으면 판단하기 "
    "어렵다고 봅니다.",
    "trade.col.claim": "노트의 주장",
    "trade.col.measure": "여기서 잰 값",
    "trade.col.small": "B = {b}",
    "trade.col.large": "B = {b}",
    "trade.col.verdict": "판정",
    "trade.col.rule": "판정 기준",
    "trade.claim.faster_epochs": "큰 배치는 에포크가 빨리 끝난다",
    "trade.claim.more_updates": "작은 배치는 에포크당 업데이트가 많다",
    "trade.claim.noisier": "작은 배치는 그래디언트가 더 흔들린다",
    "trade.claim.memory": "큰 배치는 메모리를 더 쓴다",
    "trade.claim.generalise": "작은 배치가 일반화에 더 좋다",
    "trade.claim.batchnorm": "작은 배치는 BatchNorm의 통계를 흔든다",
    "trade.measure.faster_epochs": "에포크 한 번의 실제 시간",
    "trade.measure.more_updates": "에포크당 가중치 업데이트 수",
    "trade.measure.noisier": "그래디언트 잡음 (상대값)",
    "trade.measure.memory": "한 스텝의 활성값 메모리 (계산값)",
    "trade.measure.generalise": "마지막 검증 손실",
    "trade.measure.batchnorm": "배치 평균의 오차 (표준편차 단위)",
    "trade.verdict.holds": "맞음",
    "trade.verdict.depends": "판단하기 어려움",
    "trade.verdict.fails": "여기서는 아님",
    "trade.rule.faster_epochs": "B = {large}의 시간이 {hold} ms(B = {small}의 80%) 미만이면 맞음, "
    "{fail} ms 이상이면 아님.",
    "trade.rule.more_updates": "B = {small}의 업데이트가 {fail}번보다 많으면 맞음.",
    "trade.rule.noisier": "B = {small}의 잡음이 {hold}(B = {large}의 1.2배)보다 크면 맞음, {fail} 이하면 아님.",
    "trade.rule.memory": "B = {large}의 메모리가 {fail}보다 크면 맞음.",
    "trade.rule.generalise": "B = {small}의 손실이 {hold}(B = {large}의 값 − 0.020) 미만이면 맞음, "
    "{fail}(+ 0.020) 이상이면 아님.",
    "trade.rule.generalise.diverged": "발산한 실험은 더 나쁜 쪽으로 칩니다. B = {large} 쪽만 발산했으면 맞음, "
    "B = {small} 쪽이 발산했으면 아님.",
    "trade.rule.batchnorm": "B = {small}의 오차가 {hold}(샘플 {under}개 미만인 배치 수준)보다 크면 맞음, "
    "{fail}(샘플 {reliable}개 이상, 노트에서 믿을 만하다고 한 크기) 이하면 아님.",
    "trade.rule.batchnorm.one": "샘플 1개짜리 배치는 BatchNorm이 학습하지 못하므로 {hold}보다 큰 것으로 칩니다.",
    "trade.noise.title": "그래디언트 잡음은 1/√B처럼 줄어든다",
    "trade.noise.x": "배치 크기 B",
    "trade.noise.y": "그래디언트 잡음 (상대값)",
    "trade.noise.measured": "측정값",
    "trade.noise.reference": "1/√B",
    "trade.noise.caption": "가중치를 고정해 두고 미니배치를 여러 번 뽑아, 각 배치의 그래디언트가 샘플 {n}개 전체로 "
    "구한 그래디언트와 얼마나 다른 방향을 가리키는지 잽니다(전체 그래디언트의 길이로 나눈 값). 큰 점은 내 실험에서 "
    "고른 배치 크기입니다. 배치를 4배로 늘리면 잡음은 절반이 됩니다. 훈련 데이터 전체를 쓰면 잡음이 0이라 그래프에는 "
    "나타나지 않습니다.",
    "trade.memory.title": "배치가 커지면 메모리도 커진다",
    "trade.memory.batch": "배치 크기 B",
    "trade.memory.ours": "우리 작은 신경망 (계산값)",
    "trade.memory.gpt2": "GPT-2 small, 토큰 1,024개 (추정)",
    "trade.memory.caption": "우리 모델의 값은 역전파를 위해 한 스텝 동안 보관하는 텐서의 크기로 계산했습니다. "
    "가중치와 그래디언트에는 배치와 상관없이 {params}만큼이 더 듭니다. GPT-2 값은 논문 공식(Korthikanti 외, 2022; "
    "16비트, 재계산 없음)으로 낸 **추정치**일 뿐이지만, 큰 모델이 큰 배치에서 왜 GPU 메모리가 부족해지는지 보여 "
    "줍니다.",
    "trade.sweep.title": "나만의 실험",
    "trade.sweep.x": "에포크",
    "trade.sweep.y": "검증 손실",
    "trade.sweep.batch": "배치 크기",
    "trade.sweep.ghost": "이전 실험",
    "trade.sweep.ghosts": "이전 실험들(회색)",
    "trade.sweep.lr": "학습률",
    "trade.sweep.updates": "에포크당 업데이트",
    "trade.sweep.time": "에포크당 ms",
    "trade.sweep.train": "훈련 손실",
    "trade.sweep.val": "검증 손실",
    "trade.sweep.gap": "차이 (검증 − 훈련)",
    "trade.sweep.caption": "작은 신경망이 서로 겹친 두 점 구름을 구분하도록 학습합니다. 회색 선은 이전 "
    "실험({ghosts}개)입니다. 설정을 바꾸기 전과 후를 비교할 수 있습니다.",
    "trade.sweep.clear": "회색 선 지우기",
    "trade.seed.title": "노트의 실험 다시 돌려 보기",
    "trade.seed.intro": "데이터 `y = 3x + 0.3·noise`(점 1,000개), 모델 `Linear(1,1)`, 학습률 0.1의 SGD로 "
    "**5 또는 20 에포크** × **배치 16 또는 128**, 모두 네 번 학습합니다. x축을 바꿔 보세요. 에포크 기준으로는 "
    "배치 16이 빨라 보이지만, 사실 가중치 업데이트를 **8배 더 많이** 했습니다.",
    "trade.seed.x": "x축",
    "trade.seed.x.help": "에포크 = 데이터를 몇 바퀴 돌았는지, 가중치 업데이트 = 옵티마이저 스텝 횟수, "
    "본 샘플 수 = 지금까지 처리한 훈련 샘플 수.",
    "trade.seed.view": "손실 표시",
    "trade.seed.view.help": "에포크마다 = 에포크 안 배치 손실의 평균(노트의 그래프), "
    "배치마다 = 배치 하나하나의 손실(들쭉날쭉함).",
    "trade.seed.view.epoch": "에포크마다",
    "trade.seed.view.step": "배치마다",
    "trade.seed.seeds": "반복 실행 횟수 (시드)",
    "trade.seed.seeds.help": "반복 실행마다 시작 가중치와 섞는 순서가 달라집니다. 색칠한 띠는 모든 반복 실행의 "
    "범위, 선은 중앙값입니다.",
    "trade.seed.running": "노트의 실험을 다시 돌리는 중…",
    "trade.seed.y": "손실 (MSE)",
    "trade.seed.run": "에포크 · 배치",
    "trade.seed.axis.epochs": "에포크",
    "trade.seed.axis.updates": "가중치 업데이트 횟수",
    "trade.seed.axis.samples": "본 샘플 수",
    "trade.seed.floor": "잡음 바닥 {floor}",
    "trade.seed.log": "{axis} (로그 눈금: 1, 10, 100, …이 같은 간격)",
    "trade.seed.caption": "마지막 에포크 손실(시드 0): 5 에포크 × 배치 16 → {e5b16}, 5 × 128 → {e5b128}, 20 × 16 → "
    "{e20b16}, 20 × 128 → {e20b128}. 어떤 모델도 데이터 자체의 잡음인 {floor} = 0.3²보다 낮아질 수는 없습니다. "
    "에포크가 충분하면 모든 실험이 그 근처에 도착합니다. 5 에포크 실험은 같은 배치로 한 20 에포크 실험의 처음 5 "
    "에포크와 똑같습니다(시드와 섞는 순서가 같음). 그래서 20 에포크 선 밑에 깔려 가려지므로, 넓고 옅은 선으로 따로 "
    "그렸습니다.",
    "trade.guides.title": "배치 크기를 고르는 경험 법칙",
    "trade.guide.small": "데이터 1,000개 미만",
    "trade.guide.medium": "데이터 1,000~10,000개",
    "trade.guide.large": "데이터 10,000개 초과",
    "trade.guide.huge": "초대형 데이터 (ImageNet, LLM)",
    "trade.guide.cnn": "CNN",
    "trade.guide.transformer": "Transformer",
    "trade.guide.usual": "흔히 쓰는 범위",
    "trade.guides.swept": "내 실험",
    "trade.guides.current": "우리 샘플 {n}개",
    "trade.guides.other": "다른 상황",
    "trade.guides.caption": "노트에서 모은 범위입니다. 법칙이 아니라 출발점일 뿐입니다. 결국은 메모리, 학습률, "
    "데이터가 결정합니다. 세로 점선은 내가 실험한 배치 크기입니다.",
}
