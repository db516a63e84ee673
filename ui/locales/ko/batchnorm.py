"""BatchNorm과 마지막 배치 페이지."""

STRINGS: dict[str, str] = {
    "bn.title": "BatchNorm과 아주 작은 마지막 배치",
    "bn.intro": "샘플 1,206개를 300개씩 나누면 에포크마다 마지막 배치에 샘플이 **6개**만 남아요. "
    "**배치 정규화**(BatchNorm)는 *지금 들어온 배치*의 평균과 분산으로 층을 정규화하기 때문에, 그 한 스텝은 "
    "흔들리는 통계값을 쓰게 됩니다. 아래에서 진짜 PyTorch 신경망으로 어떤 일이 생기는지, 어떻게 고치는지 "
    "직접 확인해 보세요.",
    "bn.presets": "이렇게 바꿔 보세요",
    "bn.preset.last6": "1206 / 300 → 마지막 6",
    "bn.preset.last6.help": "노트의 예: 배치 300이면 마지막 배치에 샘플 6개가 남아요.",
    "bn.preset.last2": "1202 / 300 → 마지막 2",
    "bn.preset.last2.help": "마지막 배치가 더 작아요: 샘플 2개뿐 (모멘텀 SGD).",
    "bn.preset.last1": "1201 / 300 → 마지막 1",
    "bn.preset.last1.help": "마지막 배치에 샘플이 딱 1개: BatchNorm은 이걸로 아예 학습하지 못해요.",
    "bn.preset.momentum": "모멘텀 0.9",
    "bn.preset.momentum.help": "모멘텀 0.9 SGD: 작은 배치의 기울기가 앞선 큰 배치들의 기울기와 평균 "
    "내져요. 그러면 피해가 줄어들까요?",
    "bn.preset.adam": "Adam",
    "bn.preset.adam.help": "Adam (학습률 0.03): 스텝마다 보폭을 다시 맞추기 때문에, 흔들리는 기울기 하나로도 "
    "가중치가 크게 움직일 수 있어요.",
    "bn.preset.high_lr": "학습률 높이기",
    "bn.preset.high_lr.help": "모멘텀 SGD, 학습률 0.3: 보폭이 커서 나쁜 스텝 하나의 피해도 커져요.",
    "bn.n": "데이터셋 크기 N",
    "bn.n.help": "두 클래스 데이터의 훈련 샘플 수 (50~2,000).",
    "bn.batch": "배치 크기 B",
    "bn.batch.help": "한 스텝에 쓰는 샘플 수 (50~600).",
    "bn.epochs": "에포크",
    "bn.epochs.help": "학습 한 번마다 데이터를 몇 바퀴 돌지.",
    "bn.seeds": "시드 (반복 횟수)",
    "bn.seeds.help": "같은 설정을 시작 가중치와 섞는 순서만 바꿔 이만큼 다시 학습해요. 결과가 운에 따라 얼마나 "
    "달라지는지 보려고요.",
    "bn.opt": "옵티마이저",
    "bn.opt.help": "sgd = 기본 SGD · sgd_momentum = 모멘텀 0.9 SGD · adam = Adam",
    "bn.opt.sgd": "기본 SGD",
    "bn.opt.sgd_momentum": "모멘텀 0.9 SGD",
    "bn.opt.adam": "Adam",
    "bn.lr": "학습률",
    "bn.lr.help": "한 스텝의 보폭. 학습률이 높을수록 작은 배치가 만든 나쁜 스텝의 피해가 커져요.",
    "bn.norm": "대신 쓸 정규화",
    "bn.norm.help": "layer = LayerNorm · group = GroupNorm (그룹 8개). 아래 마지막 해결책에서 써요.",
    "bn.norm.layer": "LayerNorm",
    "bn.norm.group": "GroupNorm",
    "bn.running": "신경망 학습 중… (해결책마다, 시드마다)",
    # --- 1 ---
    "bn.s1.title": "1 · 작은 배치는 어디서 생길까",
    "bn.s1.sentence": "샘플 **{n}**개를 **{b}**개씩 나누면 꽉 찬 배치 **{full}**개와 마지막 배치 "
    "**{last}**개가 됩니다. PyTorch의 `DataLoader`는 따로 말하지 않으면 이 마지막 배치도 학습에 씁니다.",
    "bn.strip.full": "꽉 찬 배치",
    "bn.strip.partial": "작은 마지막 배치",
    "bn.strip.dropped": "건너뜀 (drop_last)",
    "bn.strip.gap": "⋯ {count} ⋯",
    "bn.strip.batch": "배치",
    "bn.strip.samples": "샘플",
    "bn.strip.size": "크기",
    "bn.strip.x": "한 에포크를 배치 순서대로",
    "bn.sev.label": "마지막 배치",
    "bn.sev.full": "꽉 참",
    "bn.sev.full.why": "B가 N을 나누어떨어지게 해서 모든 배치가 꽉 찼어요. BatchNorm에 문제없어요.",
    "bn.sev.fine": "괜찮음",
    "bn.sev.fine.why": "샘플 {last}개면 BatchNorm 통계에 충분해요 (보통 16~32개 이상이면 안정적).",
    "bn.sev.small": "작음",
    "bn.sev.small.why": "샘플 {last}개로 낸 통계는 눈에 띄게 흔들려요 (BatchNorm은 보통 16~32개 이상에서 "
    "안정적).",
    "bn.sev.tiny": "아주 작음",
    "bn.sev.tiny.why": "샘플 {last}개로 구한 평균과 분산은 믿기 어려워요. 그 스텝만 다른 스텝과 다르게 "
    "정규화되어 엉뚱한 업데이트를 하게 됩니다.",
    "bn.sev.single": "크기 1",
    "bn.sev.single.why": "샘플 하나로는 분산을 구할 수 없어요. 학습 모드의 BatchNorm이 오류를 냅니다 (4번 참고).",
    "bn.sev.none": "배치 없음",
    "bn.sev.none.why": "로더가 배치를 하나도 만들지 않아요.",
    # --- 2 ---
    "bn.s2.title": "2 · 배치 통계는 얼마나 흔들릴까",
    "bn.s2.intro": "신경망의 첫 BatchNorm 층에 들어가는 값(채널 하나)에서 크기별로 무작위 배치를 2,000개씩 "
    "뽑아, BatchNorm이 하는 것처럼 배치 **평균**과 **분산**을 구했어요. 가는 눈금 하나가 배치 하나이고, "
    "점선은 전체 샘플로 구한 값입니다. 퍼진 정도는 **1/√b**에 비례해 줄어들어요.",
    "bn.s2.row": "b = {b}",
    "bn.s2.true": "전체 샘플로 구한 값",
    "bn.s2.x_mean": "배치 평균",
    "bn.s2.x_var": "배치 분산",
    "bn.s2.col.b": "배치 크기 b",
    "bn.s2.col.mean_sd": "평균의 흔들림 (표준편차)",
    "bn.s2.col.theory": "이론값 σ/√b (비복원 추출)",
    "bn.s2.col.var_sd": "분산의 흔들림 (표준편차)",
    "bn.s2.ratio": "샘플 **{small}**개짜리 배치의 평균은 **{large}**개짜리보다 **{ratio}배** 더 크게 "
    "흔들려요 (1/√b로 예상하면 √({large}/{small}) ≈ {sqrt}배).",
    # --- 3 ---
    "bn.s3.title": "3 · 학습에는 어떤 영향이 있을까",
    "bn.s3.intro": "작은 신경망(2 → 32 → 32 → 2, 은닉층마다 BatchNorm)이 서로 겹친 두 점 구름을 구분하도록 "
    "학습합니다: 에포크 {epochs}번, {opt}, 학습률 {lr}. 마지막 배치를 그대로 둔 학습과 `drop_last=True`로 "
    "버린 학습을 나란히 보여 줘요. 빨간 점이 작은 마지막 배치로 한 스텝입니다.",
    "bn.run.keep": "BatchNorm, 마지막 배치 유지",
    "bn.run.drop_last": "BatchNorm, drop_last=True",
    "bn.run.safer_batch": "BatchNorm, 배치 {b}",
    "bn.run.other_norm": "{norm}, 마지막 배치 유지",
    "bn.s3.x": "학습 스텝",
    "bn.s3.size": "배치 크기",
    "bn.s3.tab.loss": "스텝별 손실",
    "bn.s3.tab.grad_norm": "스텝별 기울기 크기",
    "bn.s3.tab.shift": "BatchNorm 이동 평균",
    "bn.s3.y.loss": "배치 손실",
    "bn.s3.y.grad_norm": "기울기 노름",
    "bn.s3.y.shift": "이동 평균의 변화량",
    "bn.s3.caption.loss": "업데이트하기 전 각 배치의 손실이에요. 작은 배치는 샘플이 몇 개 안 돼서, 어떤 "
    "샘플이 걸렸느냐는 운에 따라 손실이 크게 오르내려요.",
    "bn.s3.caption.grad_norm": "스텝마다 기울기 벡터의 길이예요. 샘플 몇 개로 구한 기울기는 방향이 더 "
    "들쭉날쭉합니다.",
    "bn.s3.caption.shift": "스텝마다 BatchNorm의 이동 평균(테스트할 때 쓰는 통계)이 얼마나 움직였는지 "
    "보여 줘요. 처음엔 0에서 출발하니 모든 스텝이 크게 움직이지만, 자리를 잡은 뒤에도 작은 배치의 흔들리는 "
    "평균은 에포크마다 0.1의 비중으로 섞여 들어와 이동 평균을 툭 쳐요.",
    "bn.s3.crashed": "마지막 배치가 **{last}**개라 BatchNorm 학습이 첫 에포크에서 멈췄어요. 4번을 보세요.",
    "bn.m.keep": "정확도, 마지막 배치 유지",
    "bn.m.drop": "정확도, drop_last=True",
    "bn.m.diff": "차이 (%p)",
    "bn.m.diff.help": "검증 정확도에서 drop_last 쪽 값 빼기 유지한 쪽 값, 퍼센트포인트 단위.",
    "bn.m.spread": "시드 {k}개로 본 마지막 검증 정확도의 평균 ± 흔들림(표준편차, %p).",
    "bn.verdict.better": "**시드 {k}개로 보면, 작은 배치를 버리는 쪽이 {diff}%p 더 좋아요** (이 추정의 "
    "오차는 약 ±{noise}). 흔들림도 보세요: 작은 배치가 있으면 시드 사이 차이가 {sd_a}, 없으면 {sd_b}. "
    "작은 배치 때문에 결과가 운에 더 많이 좌우됩니다.",
    "bn.verdict.worse": "**시드 {k}개로 보면, 마지막 배치를 유지한 쪽이 {diff}%p 더 좋았어요** (오차 약 "
    "±{noise}). 이 설정에서는 작은 배치가 신경망의 발목을 잡지 않아요.",
    "bn.verdict.unclear": "**시드 {k}개로는 뚜렷한 차이가 없어요** ({diff}%p, 오차 약 ±{noise}, 시드 사이 "
    "흔들림은 작은 배치가 있을 때 {sd_a}, 없을 때 {sd_b}). 이 설정에서는 평균의 차이가 작아요. "
    "흔들림을 보고, 다른 프리셋도 눌러 보세요.",
    "bn.s3.grows": "**무엇을 볼까?** 작은 배치의 흔적이 가장 꾸준히 드러나는 곳은 ± 뒤의 **흔들림**이에요. "
    "작은 배치가 있으면 에포크마다 마지막 업데이트를 샘플 몇 개로 하기 때문에, 최종 정확도가 시드(운)에 훨씬 "
    "많이 좌우됩니다. 평균의 차이는 마지막 배치가 더 작을수록(6개 대신 2개), 학습률이 높을수록 커져요. "
    "모멘텀은 작은 배치의 기울기를 앞선 큰 배치들의 기울기와 평균 내고, Adam은 스텝마다 보폭을 다시 맞추다 "
    "흔들리는 기울기 하나에 크게 움직일 수 있어요. 프리셋으로 직접 비교해 보세요. 뚜렷한 차이가 없는 설정도 "
    "있을 텐데, 그것도 진짜 결과예요.",
    # --- 4 ---
    "bn.s4.title": "4 · 마지막 배치가 딱 1개라면",
    "bn.s4.intro": "N = {n}, B = {b}이면 마지막 배치에 샘플이 **하나**뿐이에요. BatchNorm 신경망을 실제로 "
    "학습시켜 보면 PyTorch가 이렇게 말합니다:",
    "bn.s4.where": "에포크 {epoch}의 스텝 {step}/{steps}, 바로 마지막 배치에서 멈춰요.",
    "bn.s4.why": "**왜 그럴까?** 학습 모드의 BatchNorm은 *배치의 분산*으로 나눠요. 숫자 하나의 분산은 0이라 "
    "(퍼질 것이 없으니까요) 정규화하면 0에 가까운 값으로 나누게 됩니다. PyTorch는 엉터리 값을 내는 대신 "
    "오류를 내요. 평가 모드에서는 이동 평균 통계를 쓰기 때문에 문제없이 돌아갑니다.",
    "bn.s4.try": "N = 1201, B = 300 경우 열기",
    # --- 5 ---
    "bn.s5.title": "5 · 해결 방법",
    "bn.s5.drop": "**해결책 1: `drop_last=True`.** 로더가 작은 마지막 배치를 건너뛰어요. 에포크마다 샘플 "
    "{n}개 중 **{count}**개가 빠집니다. 데이터를 섞기 때문에 매번 *다른* 샘플이 빠져서, 에포크가 쌓이면 "
    "결국 모든 샘플이 쓰여요:",
    "bn.s5.col.epoch": "에포크",
    "bn.s5.col.skipped": "건너뛴 샘플 (번호)",
    "bn.s5.safer": "**해결책 2: N을 나누어떨어지게 하거나 마지막 배치가 넉넉히 남는 배치 크기.** "
    "가까운 후보:",
    "bn.s5.safer.item": "B = {b} (마지막 배치 {last})",
    "bn.s5.norm": "**해결책 3: 배치와 상관없는 정규화.** {norm}은 샘플 하나하나를 따로 정규화해서 배치 "
    "크기에 영향을 받지 않아요 (위쪽 *대신 쓸 정규화*에서 고르세요).",
    "bn.s5.chart": "학습 방법별 검증 정확도",
    "bn.s5.x": "마지막 에포크 후 검증 정확도 (%)",
    "bn.s5.seed_dot": "시드 하나 (%)",
    "bn.s5.mean_bar": "평균 (%)",
    "bn.s5.caption": "점 하나가 학습 한 번(시드 하나)이고, 검은 막대는 {k}번의 평균이에요. 배치 1 때문에 "
    "멈춘 학습은 점이 없어요.",
    "bn.s5.honest": "**정직하게 읽기:** `drop_last`와 더 나은 배치 크기는 작은 스텝을 아예 없애요. "
    "LayerNorm/GroupNorm은 *통계* 문제와 오류는 없애지만, 샘플 몇 개로 하는 스텝이 흔들리는 기울기라는 "
    "점은 그대로예요. 여기서는 그 스텝이 매번 검증 직전의 마지막 업데이트라서, 그 운이 정확도에 그대로 "
    "드러납니다.",
}
