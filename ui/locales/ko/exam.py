"""시험 비유 페이지."""

STRINGS: dict[str, str] = {
    "exam.title": "시험으로 이해하기",
    "exam.intro": "학습을 **모의고사** 공부라고 생각해 봅시다. 문제는 100개이고 **해답지**(정답 레이블)가 있습니다. "
    "공부는 **해답지와 답을 맞춰 볼 때**에만 일어납니다. 모델에게는 이것이 손실 계산 + 역전파 + **가중치 업데이트** "
    "한 번입니다. 아래에서는 작은 PyTorch 신경망이 실제로 이 시험을 풉니다.",
    "exam.presets": "노트에 나온 세 가지 경우:",
    "exam.preset.1": "배치 1 · 채점 100번",
    "exam.preset.1.help": "한 문제를 풀 때마다 해답지를 확인합니다. 시험 한 번에 가중치 업데이트 100번.",
    "exam.preset.10": "배치 10 · 채점 10번",
    "exam.preset.10.help": "10문제를 풀 때마다 해답지를 확인합니다. 시험 한 번에 가중치 업데이트 10번.",
    "exam.preset.100": "배치 100 · 채점 1번",
    "exam.preset.100.help": "100문제를 다 푼 뒤 해답지를 한 번만 확인합니다. 시험 한 번에 가중치 업데이트 1번.",
    "exam.batch": "배치 크기: 해답지를 보기 전에 푸는 문제 수",
    "exam.batch.help": "해답지를 한 번 확인할 때마다 가중치를 한 번 업데이트합니다.",
    "exam.seed": "학생·시험 번호 (시드)",
    "exam.seed.help": "시드를 바꾸면 다른 시험지와 아직 공부하지 않은 다른 학생이 나옵니다.",
    "exam.sheet.title": "1 · 시험지",
    "exam.sheet.caption": "한 줄은 비슷한 문제 10개로 된 한 단원입니다. 같은 색으로 이어진 칸이 한 배치이고, 칸 뒤의 "
    "**검은 막대**는 해답지를 확인하는 순간입니다.",
    "exam.m.checks": "시험 한 번의 채점 횟수",
    "exam.m.checks.help": "한 번 풀 때(1 에포크) 일어나는 가중치 업데이트 수: 100 ÷ 배치 크기를 올림한 값.",
    "exam.m.last": "마지막 배치의 문제 수",
    "exam.m.last.help": "100이 배치 크기로 나누어떨어지지 않으면 마지막 배치가 더 작습니다.",
    "exam.m.memory": "기억해야 할 문제 수",
    "exam.m.memory.help": "해답지를 확인할 때까지 배치의 문제를 모두 기억해야 합니다. 배치가 클수록 필요한 기억력이 "
    "커집니다. GPU 메모리도 마찬가지입니다.",
    "exam.sheet.sentence": "배치 크기가 **{b}**이면 한 번 풀 때 해답지를 {times} 확인하므로, 학생의 "
    "가중치는 에포크마다 {times} 바뀝니다.",
    "exam.count.times.one": "**{count}**번",
    "exam.count.times.other": "**{count}**번",
    "exam.count.questions.one": "{count}문제",
    "exam.count.questions.other": "{count}문제",
    "exam.count.updates.one": "가중치 업데이트 **{count}**번",
    "exam.count.updates.other": "가중치 업데이트 **{count}**번",
    "exam.count.epochs.one": "**{count} 에포크**",
    "exam.count.epochs.other": "**{count} 에포크**",
    "exam.count.sittings.one": "같은 시험을 {count}번 풀기",
    "exam.count.sittings.other": "같은 시험을 {count}번 풀기",
    "exam.within": "이번 풀이에서 100문제 중 **{within}**문제는 같은 단원에서 해답지를 한 번 이상 확인한 "
    "뒤에 풉니다. 처음 풀 때 채점의 덕을 볼 수 있는 문제는 이것들뿐입니다.",
    "exam.topic_batches": "**배치 크기가 {b}일 때 첫 풀이가 찍기보다 나을 게 없는 이유.** 한 단원은 비슷한 문제 "
    "{per_topic}개이고, 배치 크기가 {b}이면 채점은 언제나 단원이 끝날 때나 그 뒤에 옵니다. 배치 하나가 단원을 "
    "통째로 담는 셈입니다. 채점으로 배우는 것은 방금 끝난 단원의 답인데 다음 단원은 대개 답이 다르니, 이번 풀이에서 "
    "남은 문제에는 도움이 되지 않습니다. 그 효과는 시험을 **다시 풀 때**(3절) 나타납니다.",
    "exam.topic_batches.measured": "학생 {seeds}명의 평균 오답은 배치 크기 {b}에서 **{mean:.1f}**개(순전히 찍으면 "
    "{chance:.0f}개), 단원마다 두 번 채점하는 배치 크기 5에서 **{five:.1f}**개, 배치 크기 1에서 "
    "**{one:.1f}**개였습니다.",
    "exam.topic": "{n}단원",
    "exam.question": "문제",
    "exam.batch_n": "배치",
    "exam.similar.title": "2 · 비슷한 문제들: 자주 채점하면 좋은 이유",
    "exam.similar.intro": "잘못 이해한 개념은 채점하기 전까지 비슷한 문제에서 계속 틀리게 만듭니다. 배치 크기가 "
    "100이면 시험을 끝까지 다 푼 뒤에야 처음 채점하므로, 한 단원을 잘못 이해하면 그 단원 10문제를 모두 틀립니다. "
    "배치 크기가 1이면 첫 문제를 틀리자마자 알게 되고, 나머지 문제는 고쳐서 풉니다. 여기서 학생은 각 문제를 그 "
    "배치를 채점하기 **전에** 답합니다.",
    "exam.answers.title": "답한 순간의 정답과 오답",
    "exam.answers.caption": "{seed}번 학생의 첫 풀이(배치 크기 {b}): 100문제 중 **{mistakes}**개를 틀렸습니다. 칸 안의 "
    "노란 테두리는 답이 단원의 보통 답과 다른 *함정 문제*입니다.",
    "exam.right": "맞음",
    "exam.wrong": "틀림",
    "exam.answer": "답한 순간",
    "exam.trick": "함정 문제",
    "exam.study.title": "배치 크기별 첫 풀이의 오답 수",
    "exam.study.caption": "학생과 시험 {seeds}쌍의 평균(선)과 최솟값–최댓값(막대)입니다. 모든 배치 크기가 **같은 "
    "학습률 {lr}**인 기본 SGD로 배웁니다. 바뀌는 것은 해답지를 얼마나 자주 보느냐뿐입니다.",
    "exam.study.x": "배치 크기 (채점 한 번당 문제 수)",
    "exam.study.y": "첫 풀이의 오답 수",
    "exam.study.mean": "평균 오답",
    "exam.study.low": "최소",
    "exam.study.high": "최대",
    "exam.study.chance": "점선: 찍었을 때 ({chance:.0f})",
    "exam.study.sentence": "배치 크기 1은 평균 **{one:.0f}**개를 틀립니다. 배치 크기 100은 **{hundred:.0f}**개로, "
    "찍은 것과 거의 같습니다. 끝날 때까지 아무것도 고쳐지지 않기 때문입니다.",
    "exam.epochs.title": "3 · 에포크: 같은 시험 다시 풀기",
    "exam.epochs.intro": "**에포크**(epoch)는 시험 전체를 한 번 푸는 것입니다. 다시 풀면 도움이 됩니다. 지난번보다 "
    "가중치가 나아졌기 때문입니다. 그런데 너무 여러 번 풀면 함정 문제까지 **이 시험을 통째로 외우기** 시작합니다. "
    "눈 감고도 치는 피아노 곡은 완벽한데 악보 읽는 법은 잊어버린 것과 같습니다. 이것이 **과적합**(overfitting)이며, "
    "같은 단원의 *새 시험*을 풀어 보면 드러납니다.",
    "exam.epochs": "에포크: 시험을 몇 번 풀지",
    "exam.epochs.help": "한 번 풀 때마다 위에서 고른 배치 크기로 100문제를 모두 한 번씩 풉니다.",
    "exam.epochs.progress": "학생이 시험을 푸는 중…",
    "exam.study.progress": "학생들이 배치 크기마다 시험을 푸는 중…",
    "exam.sit.x": "풀이 회차 (에포크)",
    "exam.sit.y": "정답률 (%)",
    "exam.sit.this": "이 시험 (푸는 동안)",
    "exam.sit.new": "새 시험, 같은 단원",
    "exam.sit.series": "시험",
    "exam.sit.best": "최고 점수: {n}회차",
    "exam.m.last_mistakes": "마지막 회차의 오답 수",
    "exam.m.last_mistakes.help": "마지막으로 풀 때 이 시험에서 틀린 문제 수.",
    "exam.m.best": "새 시험 최고 점수",
    "exam.m.best.help": "회차가 끝날 때마다 새 문제 200개로 잰 정답률.",
    "exam.m.best.delta": "{n}회차",
    "exam.m.final": "마지막 회차 뒤 새 시험 점수",
    "exam.m.final.help": "마지막으로 푼 뒤 같은 새 시험으로 잰 정답률.",
    "exam.epochs.lr": "학습률은 {lr|로} 고정했고(기본 SGD), 문제는 언제나 시험지 순서대로 나옵니다.",
    "exam.epochs.overfit": "**{best}**회차 이후로 학생은 이 시험에서는 계속 나아지지만, 새 시험 점수는 "
    "{best_score:.1f}%에서 {final_score:.1f}%까지 **{drop:.1f}%포인트** 떨어집니다. (새 시험 {new}문제 중 "
    "{questions}문제, 곧 {margin:.0f}%포인트 이상 떨어져야 *나빠졌다*고 봅니다. 그보다 작은 차이는 한두 문제를 운 좋게 "
    "맞히거나 틀려서도 생깁니다.) 이해하는 것이 아니라 외우고 있는 것입니다. {best}회차에서 멈추는 것이 바로 "
    "**조기 종료**(early stopping)입니다.",
    "exam.epochs.worse": "**{best}**회차 이후로 새 시험 점수가 {best_score:.1f}%에서 {final_score:.1f}%까지 "
    "**{drop:.1f}%포인트** 떨어지고, 이 시험에서도 더 나아지지 않습니다. (새 시험 {new}문제 중 {questions}문제, "
    "곧 {margin:.0f}%포인트 이상 떨어져야 *나빠졌다*고 봅니다.) {best}회차에서 멈추는 것이 바로 "
    "**조기 종료**(early stopping)입니다.",
    "exam.epochs.level": "새 시험 점수는 **{best}**회차에서 {best_score:.1f}%로 가장 높았고, 마지막에는 "
    "{final_score:.1f}%입니다. 차이는 {drop:.1f}%포인트로, *나빠졌다*고 보는 기준인 {margin:.0f}%포인트(새 시험 "
    "{new}문제 중 {questions}문제)보다 작습니다. 한두 문제를 운 좋게 맞히거나 틀려서도 생기는 차이라 아직 외우기 "
    "시작했다는 뚜렷한 신호는 없습니다. 에포크를 늘려 보세요.",
    "exam.epochs.more": "지금까지는 {best}회차가 가장 좋았습니다. 에포크를 늘려서 새 시험 점수가 떨어지는지 확인해 "
    "보세요.",
    "exam.epochs.link": "조기 종료 자세히 보기",
    "exam.summary.title": "방금 본 것 정리",
    "exam.summary.body": "- **배치 크기 {b}** = {every}마다 해답지 확인: 한 번 풀 때 {updates}, 기억해야 할 문제는 "
    "최대 {memory}.\n- 이 학생은 첫 풀이에서 **{mistakes}**개를 틀렸습니다. 학생 {seeds}명의 평균은 배치 크기 1에서 "
    "**{one:.0f}**개, 배치 크기 100에서 **{hundred:.0f}**개였습니다.\n- {epochs} = {sittings}: 오답은 "
    "**{first}**개에서 **{last}**개로 줄었고, 새 시험 점수는 {best}회차에서 **{best_score:.1f}%**로 가장 "
    "높았습니다(마지막은 **{final_score:.1f}%**).",
}
