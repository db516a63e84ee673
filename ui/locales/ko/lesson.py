"""수업 계획 페이지 문구, 그리고 단계마다 제목, 보여 줄 것, 던질 질문."""

STRINGS: dict[str, str] = {
    "nav.lesson": "수업 계획",
    "nav.section.teach": "선생님용",
    "lesson.title": "수업 계획",
    "lesson.intro": "수업 전체를 순서대로 모았습니다. 링크마다 그 단계에 맞춰 준비한 설정으로 페이지가 열리니, 수업 "
    "중에 차례로 누르거나 발표 자료에 붙여 넣어 쓰면 됩니다.",
    "lesson.total": "모두 {steps}단계, 약 {minutes}분.",
    "lesson.present": "링크를 발표 모드로 열기",
    "lesson.present.help": "모든 링크에 ?present=true를 붙입니다. 프로젝터용으로 글자가 커지고 설명은 접힙니다.",
    "lesson.open": "{page} 열기 →",
    "lesson.minutes": "{minutes}분",
    "lesson.show": "보여 줄 것",
    "lesson.ask": "질문",
    "lesson.links": "발표 자료에 붙여 넣을 링크 모음",
    "lesson.updates.title": "에포크, 배치, 업데이트",
    "lesson.updates.show": "샘플 320개를 배치 크기 32로 10 에포크 동안 학습하면 에포크마다 업데이트 10번, 모두 "
    "100번입니다. 배치 크기를 바꾸면 띠 그림과 Keras 로그가 함께 바뀌는 것을 확인해 보세요.",
    "lesson.updates.ask": "샘플 1,600개를 배치 크기 64로 나누면 에포크마다 업데이트는 몇 번일까?",
    "lesson.last_batch.title": "마지막 배치",
    "lesson.last_batch.show": "샘플 1,206개를 배치 크기 300으로 나누면 꽉 찬 배치 4개 뒤에 샘플 6개짜리 배치가 "
    "남습니다. 앱이 경고하고, 이를 피하는 배치 크기를 알려 줍니다.",
    "lesson.last_batch.ask": "300에 가까우면서 아주 작은 마지막 배치를 남기지 않는 배치 크기는?",
    "lesson.exam_checks.title": "배치 크기 = 해답지를 확인하는 간격",
    "lesson.exam_checks.show": "배치 크기 100은 시험마다 해답지를 한 번만 확인합니다. 10과 1 버튼을 눌러 보세요. "
    "배치 크기 10은 단원이 끝날 때마다 한 번 확인해서 첫 풀이에서는 100보다 나을 게 없고, 배치 크기 1은 단원 안에서 "
    "바로바로 고쳐 갑니다.",
    "lesson.exam_checks.ask": "문제마다 해답지를 확인하는 것이 비슷한 문제에서 특히 도움이 되는 이유는?",
    "lesson.exam_retakes.title": "에포크 = 같은 시험 다시 풀기",
    "lesson.exam_retakes.show": "같은 시험을 50번 풉니다. 이 시험에서 틀린 개수는 0에 가까워지지만, 새 시험 점수는 "
    "한동안 오르다가 꼭대기를 찍고 다시 떨어집니다.",
    "lesson.exam_retakes.ask": "이 학생은 몇 번째 풀이에서 멈췄어야 할까?",
    "lesson.tradeoffs.title": "작은 배치와 큰 배치, 주장을 시험하기",
    "lesson.tradeoffs.show": "배치 크기 16부터 128까지 그 자리에서 학습합니다. 표는 노트의 주장마다 측정한 숫자를 "
    "나란히 놓고, 여기서 맞았는지 알려 줍니다.",
    "lesson.tradeoffs.ask": "이 데이터에서 맞은 주장과 맞지 않은 주장은 무엇일까?",
    "lesson.updates_axis.title": "에포크 기준일까, 업데이트 기준일까?",
    "lesson.updates_axis.show": "노트의 실험에서 x축을 에포크 대신 가중치 업데이트 횟수로 바꿔 봅니다. 배치 크기 "
    "16은 128보다 업데이트를 8배 더 했습니다.",
    "lesson.updates_axis.ask": "배치 16은 업데이트 한 번에 더 많이 배운 것일까, 그냥 업데이트를 더 많이 한 것일까?",
    "lesson.scaling.title": "선형 스케일링 규칙",
    "lesson.scaling.show": "배치 크기 8부터 256까지, 학습률을 배치 크기에 비례해 키우고 처음 몇 에포크 동안 "
    "워밍업합니다.",
    "lesson.scaling.ask": "학습률을 함께 키우면 큰 배치에는 어떤 일이 생길까?",
    "lesson.bn_last6.title": "샘플 6개짜리 마지막 배치와 BatchNorm",
    "lesson.bn_last6.show": "샘플 6개로 구한 배치 통계는 300개로 구한 것보다 훨씬 크게 흔들립니다. 작은 배치를 "
    "그대로 쓸 때와 drop_last를 켰을 때를 여러 시드로 비교해 보세요.",
    "lesson.bn_last6.ask": "작은 배치를 그대로 쓰면 왜 시드마다 결과가 더 크게 달라질까?",
    "lesson.bn_crash.title": "샘플 1개짜리 마지막 배치",
    "lesson.bn_crash.show": "샘플 1,201개를 배치 크기 300으로 나누면 마지막에 샘플 하나가 남고, PyTorch의 "
    "BatchNorm이 실제 오류를 내며 멈춥니다.",
    "lesson.bn_crash.ask": "코드 한 줄만 바꿔 이 오류를 없애는 방법 두 가지는?",
    "lesson.overfit.title": "에포크가 너무 많으면",
    "lesson.overfit.show": "150 에포크 뒤의 곡선은 훈련 데이터의 점을 모두 지나가지만 검증 손실은 다시 올라가 "
    "있습니다. 에포크 슬라이더를 앞으로 되돌려 보세요.",
    "lesson.overfit.ask": "여러분이라면 몇 번째 에포크에서 멈췄을까?",
    "lesson.early_stop.title": "조기 종료",
    "lesson.early_stop.show": "Keras의 EarlyStopping은 patience 3에서 학습을 멈추고 가장 좋았던 가중치로 "
    "되돌립니다. patience를 키워 가며 표를 비교해 보세요.",
    "lesson.early_stop.ask": "patience를 키우면 무엇을 얻고 무엇을 잃을까?",
    "lesson.digits.title": "진짜 손글씨 숫자에서도 그럴까?",
    "lesson.digits.show": "노트의 Keras 예제를 진짜 손글씨 숫자 1,797장으로 돌립니다. 배치 크기 32에서 한 에포크는 "
    "45 스텝이고, 10 에포크면 업데이트가 450번입니다. 이어서 배치 하나의 업데이트 한 번이 모델의 답을 얼마나 바꾸는지 "
    "봅니다.",
    "lesson.digits.ask": "노트에 나오는 배치 크기(8, 32, 256, 전체 1,437) 가운데 10 에포크 동안 검증 정확도가 "
    "가장 높은 것은 무엇이고, 왜 그럴까?",
    "lesson.digits_exam.title": "진짜 손글씨 숫자로 보는 시험",
    "lesson.digits_exam.show": "진짜 손글씨 숫자 100개로 만든 같은 시험입니다. 한 줄이 한 숫자입니다. 배치 "
    "크기 10의 첫 풀이에서 ✗ 옆의 숫자는 학생이 답한 숫자로, 앞선 채점에서 배운 숫자입니다. 이어서 30회차와, "
    "다른 이미지 200개로 된 새 시험을 살펴보세요.",
    "lesson.digits_exam.ask": "배치 크기 10의 첫 풀이는 왜 찍을 때(오답 90개)보다도 많이 틀릴까? 가상의 "
    "시험에서는 함정 문제 때문에 새 시험 점수가 떨어졌는데, 진짜 숫자는 여러 번 다시 풀어도 왜 떨어지지 않을까?",
    "lesson.bn_digits.title": "진짜 손글씨 숫자에서 보는 아주 작은 마지막 배치",
    "lesson.bn_digits.show": "노트의 1,206 / 300 경우를 진짜 손글씨 숫자와 모멘텀 SGD로 돌립니다. 방법마다 시드 "
    "5개입니다. 마지막 배치를 그대로 둘 때와 drop_last=True일 때 ± 뒤의 흔들림을 비교해 보세요.",
    "lesson.bn_digits.ask": "아주 작은 마지막 배치를 그대로 두면 왜 시드마다 정확도가 훨씬 더 흔들릴까? 어떤 "
    "해결책이 다시 고르게 만들까?",
    "lesson.digits_critical.title": "진짜 손글씨 숫자의 임계 배치",
    "lesson.digits_critical.show": "진짜 손글씨 숫자 512장에서 배치 크기마다 가장 좋은 학습률로 검증 "
    "목표까지의 스텝을 셉니다. 데이터를 만든 데이터로 바꿔 비교해 보세요.",
    "lesson.digits_critical.ask": "손글씨 숫자의 임계 배치는 만든 데이터보다 클까, 작을까? 목표를 쉽게 하면 "
    "어떻게 될까?",
}
