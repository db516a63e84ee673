"""홈 페이지: 에포크와 배치 계산기."""

STRINGS: dict[str, str] = {
    "calc.title": "에포크와 배치",
    "calc.intro": "**에포크**(epoch)는 훈련 데이터 전체를 처음부터 끝까지 한 번 보는 것이고, **배치 크기**(batch "
    "size)는 모델이 **가중치를 한 번 업데이트**하기 전에 보는 샘플 수입니다. 업데이트 한 번을 "
    "*이터레이션*(iteration) 또는 *스텝*(step)이라고 합니다. 숫자를 넣고 업데이트가 몇 번 일어나는지 확인해 보세요.",
    "calc.intro.accum": "**에포크**(epoch)는 훈련 데이터 전체를 한 번 다 훑는 것이고, **배치 크기**(batch size)는 "
    "*이터레이션*(iteration, 스텝) 한 번에 처리하는 샘플 수입니다. 누적하지 않으면 이터레이션마다 가중치를 한 번 "
    "업데이트하지만, 배치 **{k}개**(K = {k})의 그래디언트를 누적하면 **이터레이션 {k}번마다 가중치 업데이트가 한 "
    "번** 일어납니다. 숫자를 넣고 업데이트가 몇 번 일어나는지 확인해 보세요.",
    "calc.intro.gpus": "**에포크**(epoch)는 훈련 데이터 전체를 한 번 다 훑는 것이고, **배치 크기**(batch size)는 "
    "GPU 하나가 *이터레이션*(iteration, 스텝) 한 번에 처리하는 샘플 수입니다. 여기서는 **GPU {r}개**가 각자 자기 "
    "배치를 동시에 처리하고, 배치 {r}개를 모아 **가중치를 함께 한 번 업데이트**합니다. 숫자를 넣고 업데이트가 몇 번 "
    "일어나는지 확인해 보세요.",
    "calc.intro.both": "**에포크**(epoch)는 훈련 데이터 전체를 한 번 다 훑는 것이고, **배치 크기**(batch size)는 "
    "GPU 하나가 *이터레이션*(iteration, 스텝) 한 번에 처리하는 샘플 수입니다. 여기서는 **GPU {r}개**가 각자 "
    "**배치 {k}개**의 그래디언트를 누적한 뒤 **가중치를 함께 한 번 업데이트**합니다. 이터레이션 {k}번마다 "
    "업데이트가 한 번이고, 업데이트 한 번에 배치 {k} × {r}개가 들어갑니다. 숫자를 넣고 업데이트가 몇 번 "
    "일어나는지 확인해 보세요.",
    "calc.presets": "예제로 바로 보기",
    "calc.preset.notes320": "320 / 32 / 10",
    "calc.preset.notes320.help": "노트의 첫 예제: 샘플 320개, 배치 크기 32, 10 에포크.",
    "calc.preset.notes200": "200 / 20 / 10",
    "calc.preset.notes200.help": "샘플 200개를 20개씩 묶어 10 에포크.",
    "calc.preset.exam100": "시험: 배치 100",
    "calc.preset.exam100.help": "시험 문제 100개를 다 푼 뒤에 해답지를 한 번만 확인.",
    "calc.preset.exam10": "시험: 배치 10",
    "calc.preset.exam10.help": "시험 문제 100개, 10문제를 풀 때마다 해답지 확인.",
    "calc.preset.exam1": "시험: 배치 1",
    "calc.preset.exam1.help": "시험 문제 100개, 한 문제를 풀 때마다 해답지 확인.",
    "calc.preset.n1000": "1000 / 50 / 20",
    "calc.preset.n1000.help": "샘플 1,000개, 배치 크기 50, 20 에포크: 업데이트는 모두 400번.",
    "calc.preset.keras800": "Keras 800/800",
    "calc.preset.keras800.help": "배치 크기 10으로 800/800이 찍히는 Keras 로그: 훈련 샘플 8,000개.",
    "calc.preset.q1600": "1600 / 64",
    "calc.preset.q1600.help": "학생이 실제로 한 질문: 샘플 1,600개를 배치 크기 64로 나누면 에포크당 업데이트는 "
    "10번이 아니라 25번입니다.",
    "calc.preset.bn1206": "1206 / 300 → 나머지 6",
    "calc.preset.bn1206.help": "배치 크기가 300이면 마지막 배치에 샘플이 6개만 남습니다. BatchNorm이 곤란해지는 "
    "경우.",
    "calc.n": "데이터셋 크기 N (샘플 수)",
    "calc.n.help": "한 에포크 동안 훑는 훈련 샘플의 개수.",
    "calc.batch": "배치 크기 B",
    "calc.batch.help": "배치 하나에 든 샘플 수. 이터레이션(스텝) 한 번에 처리하며, 누적 없이 GPU 하나로 훈련하면 "
    "배치마다 가중치 업데이트가 한 번 일어남.",
    "calc.epochs": "에포크 수",
    "calc.epochs.help": "데이터 전체를 처음부터 끝까지 몇 번 볼지.",
    "calc.drop_last": "DataLoader drop_last",
    "calc.drop_last.help": "DataLoader(..., drop_last=True)처럼 크기가 모자란 마지막 배치를 버립니다(R > 1이면 "
    "GPU마다).",
    "calc.accum": "그래디언트 누적 K",
    "calc.accum.help": "배치(마이크로 배치) K개마다 가중치를 한 번 업데이트. 1이면 누적하지 않음. 카드의 숫자는 "
    "PyTorch Lightning 방식(에포크마다 K개가 안 되는 마지막 묶음도 업데이트함). Keras 3의 방식은 번역기의 Keras 3 "
    "행 참고.",
    "calc.gpus": "GPU 수 R (DistributedSampler)",
    "calc.gpus.help": "데이터 병렬 복제본 수. GPU마다 데이터를 나눠 받고, 모든 GPU가 함께 한 스텝씩 진행함.",
    "calc.advanced": "프레임워크 옵션: drop_last, 그래디언트 누적, 여러 GPU",
    "calc.m.updates_epoch": "에포크당 업데이트",
    "calc.m.updates_epoch.help": "한 에포크 동안 일어나는 가중치 업데이트(옵티마이저 스텝) 횟수.",
    "calc.m.total": "전체 업데이트",
    "calc.m.total.help": "에포크당 업데이트 × 에포크 수.",
    "calc.m.last": "마지막 배치",
    "calc.m.last.help": "한 에포크의 마지막 배치에 들어가는 샘플 수.",
    "calc.m.skipped": "에포크당 버려지는 샘플",
    "calc.m.skipped.help": "drop_last 때문에 에포크마다 버려지는 샘플 수.",
    "calc.m.regime": "학습 방식",
    "calc.m.regime.help": "업데이트 한 번이 어떤 경사 하강법에 해당하는지.",
    "calc.regime.batch": "배치 경사 하강법",
    "calc.regime.stochastic": "확률적 경사 하강법",
    "calc.regime.mini_batch": "미니배치 경사 하강법",
    "calc.regime.none": "업데이트 없음",
    "calc.regime.explain.batch": "업데이트마다 샘플을 **전부** 씁니다. 배치 경사 하강법이라 에포크당 업데이트는 한 "
    "번뿐입니다.",
    "calc.regime.explain.stochastic": "업데이트마다 샘플을 **하나만** 씁니다. 확률적 경사 하강법(SGD)이라 "
    "에포크마다 샘플 수만큼 업데이트합니다.",
    "calc.regime.explain.mini_batch": "업데이트마다 **미니배치**를 씁니다. 두 극단 사이에 있는, 가장 흔히 쓰는 "
    "방식입니다.",
    "calc.regime.explain.none": "",
    "calc.sentence": "{samples|을} **{b}**개씩 묶으면 → {full}{partial} = 에포크당 {iters}.",
    "calc.sentence.partial": " + 샘플 **{last}**개짜리 마지막 배치 하나",
    "calc.sentence.whole": "{samples|을} **{b}**개씩 묶으려 해도 배치가 데이터보다 커서, 로더는 샘플 {n}개 **전부를 "
    "담은 배치 하나**만 내줍니다. 에포크당 {iters}입니다.",
    "calc.sentence.plain": "이터레이션이 한 번 끝날 때마다 가중치를 한 번 업데이트합니다: 에포크당 {per_epoch} × "
    "{epochs} = {total}.",
    "calc.sentence.total": "그래서 에포크당 {per_epoch} × {epochs} = {total}이고, 업데이트 한 번에 "
    "샘플 최대 **{eff}**개가 쓰입니다.",
    "calc.sentence.accum": "배치 **{k}**개씩 그래디언트를 누적하면 에포크당 {times} 업데이트합니다. 이터레이션 "
    "{k}번마다 업데이트가 한 번 일어납니다.",
    "calc.sentence.gpus": "GPU **{r}**개로 나누면 GPU마다 샘플 **{share}**개를 받아 각자 {iters|을} 돌고, 모든 "
    "GPU가 함께 한 스텝씩 나아가며 에포크마다 모두 합쳐 샘플 **{processed}**개를 처리합니다.",
    "calc.count.samples.one": "샘플 **{count}**개",
    "calc.count.samples.other": "샘플 **{count}**개",
    "calc.count.full.one": "꽉 찬 배치 **{count}**개",
    "calc.count.full.other": "꽉 찬 배치 **{count}**개",
    "calc.count.iters.one": "이터레이션 **{count}**번",
    "calc.count.iters.other": "이터레이션 **{count}**번",
    "calc.count.updates.one": "가중치 업데이트 **{count}**번",
    "calc.count.updates.other": "가중치 업데이트 **{count}**번",
    "calc.count.batches.one": "배치 **{count}**개",
    "calc.count.batches.other": "배치 **{count}**개",
    "calc.count.epochs.one": "**{count}** 에포크",
    "calc.count.epochs.other": "**{count}** 에포크",
    "calc.count.times.one": "**{count}**번",
    "calc.count.times.other": "**{count}**번",
    "calc.none": "drop_last를 켰는데 배치 크기({b})가 데이터(샘플 {n}개)보다 커서, 로더가 **배치를 하나도** 내주지 "
    "않습니다. 이터레이션 0번, 업데이트 0번입니다. 배치 크기를 줄이거나 drop_last를 꺼 보세요.",
    "calc.none.gpus": "DataLoader의 drop_last를 켰는데 배치 크기({b})가 GPU 하나가 받는 몫(샘플 {n}개 중 "
    "{share}개)보다 커서, 로더마다 **배치를 하나도** 내주지 않습니다. 이터레이션 0번, 업데이트 0번입니다. 배치 "
    "크기를 줄이거나 DataLoader의 drop_last를 꺼 보세요.",
    "calc.strip.title": "한 에포크를 배치 단위로 보기",
    "calc.strip.caption.replica": "GPU 하나가 받는 몫(샘플 {share}개)을 기준으로 그렸습니다.",
    "calc.strip.full": "꽉 찬 배치",
    "calc.strip.partial": "작은 마지막 배치",
    "calc.strip.dropped": "버려지는 샘플 (drop_last)",
    "calc.strip.gap": "⋯ {count} ⋯",
    "calc.strip.batch": "배치",
    "calc.strip.samples": "샘플",
    "calc.strip.size": "크기",
    "calc.strip.x": "순서대로 놓은 배치",
    "calc.strip.x.folded": "순서대로 놓은 배치 (⋯ 숫자 ⋯ = 그림에서 생략한 배치 수)",
    "calc.keras.title": "Keras 로그에 찍히는 모습",
    "calc.keras.caption": "Keras 3에서 verbose=1로 학습하면 첫 에포크와 마지막 에포크가 이렇게 출력됩니다. Keras는 "
    "스텝 수를 ceil(N / B)로 세고, 크기가 모자란 마지막 배치도 항상 학습에 씁니다. 실제로 학습하면 각 줄 뒤에 에포크 "
    "시간과 손실, 지표가 이어지지만, 여기서는 학습하지 않으므로 뺐습니다(실제 학습 로그는 '에포크와 조기 종료' "
    "페이지에 있습니다).",
    "calc.warn.tiny": "마지막 배치에는 샘플이 {b}개가 아니라 **{last}**개뿐입니다. 배치 단위로 정규화하는 "
    "층(BatchNorm)은 평균과 분산을 이 샘플 {last}개로만 추정하므로, 그 스텝에서는 흔들리는 통계 때문에 업데이트가 "
    "엉뚱한 방향으로 갑니다.",
    "calc.warn.single": "마지막 배치에 샘플이 **딱 1개**입니다. 학습 모드의 BatchNorm1d는 *“Expected more than 1 "
    "value per channel when training”* 오류를 냅니다.",
    "calc.warn.small": "마지막 배치에 샘플이 {b}개 중 {last}개뿐입니다. 이렇게 적은 샘플로 구한 BatchNorm 통계는 "
    "눈에 띄게 흔들립니다.",
    "calc.whole": "배치 크기({b})가 로더가 받는 데이터(샘플 {n}개)보다 커서, 에포크마다 **샘플 {n}개 전부를 담은 "
    "배치 하나**만 나옵니다. 전체 배치 학습이라 크기가 모자란 마지막 배치를 걱정할 일이 없습니다. 배치 크기를 "
    "{n} 이상 어떤 값으로 해도 결과는 같고, drop_last를 켜면 배치가 하나도 남지 않습니다.",
    "calc.whole.small": "배치 크기({b})가 로더가 받는 데이터(샘플 {n}개)보다 커서, 에포크마다 **샘플 {n}개 전부를 "
    "담은 배치 하나**만 나옵니다. 크기가 모자란 마지막 배치는 없지만, 모든 스텝의 배치에 샘플이 {n}개뿐이라 "
    "BatchNorm 통계가 *모든* 스텝에서 흔들립니다(보통 샘플 {reliable}개쯤부터 믿을 만합니다). 배치 크기를 "
    "{n} 이상 어떤 값으로 해도 결과는 같고, drop_last를 켜면 배치가 하나도 남지 않습니다.",
    "calc.whole.single": "배치 크기({b})가 로더가 받는 데이터(샘플 1개)보다 커서, 모든 배치에 샘플이 **딱 1개**"
    "입니다. 학습 모드의 BatchNorm1d는 첫 스텝에서 *“Expected more than 1 value per channel when training”* "
    "오류를 냅니다.",
    "calc.warn.suggest": "문제가 없는 가까운 배치 크기:",
    "calc.warn.suggest.item": "B = {b} (마지막 배치: 샘플 {last}개)",
    "calc.warn.fix_drop": "아니면 drop_last를 켜서 에포크마다 그 샘플 {last}개를 버려 보세요.",
    "calc.warn.link": "작은 마지막 배치가 왜 문제일까?",
    "calc.table.title": "프레임워크 번역기",
    "calc.table.caption": "N = {n}, B = {b}인 같은 설정을 프레임워크마다 자기 방식으로 세면 이렇게 됩니다.",
    "calc.table.framework": "프레임워크 / 설정",
    "calc.table.batches": "에포크당 배치",
    "calc.table.updates": "에포크당 업데이트",
    "calc.table.last": "마지막 배치",
    "calc.table.note": "버려지거나 중복된 샘플",
    "calc.table.effective": "업데이트당 샘플",
    "calc.table.row.keras": "Keras model.fit(batch_size={b})",
    "calc.table.row.keras_split": "Keras, validation_split=0.2 (훈련 샘플 {train}개)",
    "calc.table.row.torch": "PyTorch DataLoader(batch_size={b})",
    "calc.table.row.torch_drop": "PyTorch DataLoader(..., drop_last=True)",
    "calc.table.row.accum": "PyTorch Lightning, accumulate_grad_batches={k}, GPU 1개",
    "calc.table.row.ddp": "PyTorch DistributedSampler, GPU R = {r}개 (GPU당)",
    "calc.table.opt.k": ", K = {k}",
    "calc.table.opt.drop": ", DataLoader drop_last=True",
    "calc.table.yours.mark": "★ {label}",
    "calc.table.yours": "★ 표시한 행은 위 카드와 같은 설정으로 센 것이라 숫자도 카드와 같습니다. 나머지 행은 같은 "
    "N과 B를 다른 설정으로 센 결과입니다.",
    "calc.table.none": "—",
    "calc.table.skipped": "{count}개 버려짐",
    "calc.table.padded": "{count}개 중복 (패딩)",
    "calc.table.skipped.all": "{count}개 버려짐 (GPU 전체)",
    "calc.table.padded.all": "{count}개 중복 (패딩, GPU 전체)",
    "calc.sampler_drop_last": "DistributedSampler drop_last",
    "calc.sampler_drop_last.help": "로더의 drop_last와 따로 있는 샘플러의 drop_last입니다. GPU가 여러 개(R > 1)일 "
    "때 데이터를 중복 샘플로 채우는 대신, 끝의 샘플을 버려 R의 배수로 맞춥니다. 기본값은 꺼짐이고, PyTorch "
    "Lightning은 늘 꺼 둡니다. GPU 1개에서는 아무 효과가 없습니다.",
    "calc.table.row.keras_accum": "Keras 3, optimizer(gradient_accumulation_steps={k})",
    "calc.table.row.lightning_ddp": "PyTorch Lightning, devices={r} (GPU당)",
    "calc.table.opt.sampler_drop": ", DistributedSampler drop_last=True",
    "calc.table.keras_refuses": "validation_split 행이 없습니다. 이 N으로는 Keras가 데이터를 나누지 않고 오류를 "
    "냅니다. Keras의 메시지: `` {message} ``",
    "calc.table.keras_accum": "**Keras 3에서는 누적을 에포크마다가 아니라 훈련 전체에 걸쳐 셉니다.** 훈련을 "
    "시작할 때부터 배치를 세어 K = {k}개가 찰 때마다 한 번 업데이트합니다. 에포크당 배치가 S = {s}개이면 에포크 "
    "1–{c}의 업데이트 횟수는 차례로 {cycle}번이고, 그다음부터 이 패턴이 되풀이됩니다. {epochs} 동안 모두 "
    "{total}이고, 같은 배치에 PyTorch Lightning의 "
    "accumulate_grad_batches를 쓰면 {lightning}입니다.",
    "calc.table.keras_accum.even": "**Keras 3에서는 누적을 에포크마다가 아니라 훈련 전체에 걸쳐 셉니다.** "
    "훈련을 시작할 때부터 배치를 세어 K = {k}개가 찰 때마다 한 번 업데이트합니다. 에포크당 배치가 S = {s}개이면 "
    "에포크마다 업데이트가 {cycle}번입니다. {epochs} 동안 모두 {total}이고, 같은 배치에 PyTorch "
    "Lightning의 accumulate_grad_batches를 쓰면 {lightning}입니다.",
    "calc.table.keras_accum.left": "훈련 끝에 남은 {left|는} 어떤 업데이트에도 쓰이지 않습니다.",
    "calc.table.flags": "GPU {r}개에서는 서로 다른 두 플래그가 결과를 정합니다. DistributedSampler의 "
    "drop_last(지금: {sampler})는 데이터를 GPU에 나눠 주기 전에 끝의 샘플을 버려 R의 배수로 맞춥니다. "
    "DataLoader의 drop_last(지금: {loader})는 GPU마다 모자란 마지막 배치를 버립니다. PyTorch Lightning은 "
    "샘플러를 직접 만들고, 로더의 설정과 상관없이 샘플러의 drop_last를 꺼 둡니다.",
    "calc.table.formula": "규칙",
    "calc.definitions": "에포크, 배치, 이터레이션: 용어 정리",
    "calc.definitions.body": "- **에포크**: 훈련 데이터 전체를 처음부터 끝까지 한 번 보는 것. `epochs=10`이면 "
    "데이터를 열 번 봅니다.\n"
    "- **배치 크기**: 이터레이션 한 번에 (GPU 하나가) 처리하는 샘플 수.\n"
    "- **이터레이션(스텝)**: 배치 하나를 처리하는 것. 그래디언트 누적이 없으면 이터레이션마다 가중치를 한 번 "
    "업데이트하므로 에포크당 업데이트 수 = 에포크당 배치 수입니다. 배치 K개씩 누적하면 이터레이션 K번마다 "
    "업데이트가 한 번이고, GPU 여러 개로 훈련하면 GPU들의 배치가 같은 업데이트에 함께 들어갑니다.\n"
    "- **배치 = N**이면 *배치 경사 하강법*(에포크당 1번 업데이트), **배치 = 1**이면 *확률적 경사 하강법*"
    "(에포크당 N번), 그 사이는 *미니배치 경사 하강법*입니다.",
}
