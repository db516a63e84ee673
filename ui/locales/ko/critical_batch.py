"""배치는 얼마나 커질 수 있을까? 페이지, 그리고 배치 크기의 장단점 페이지의 판정 조건."""

STRINGS: dict[str, str] = {
    "nav.critical": "배치는 얼마나 커질 수 있을까?",
    "crit.title": "배치는 얼마나 커질 수 있을까?",
    "crit.intro": "배치가 크면 가중치 업데이트 한 번에 더 많은 샘플이 들어가니 **업데이트 횟수가 줄어야** 합니다. "
    "정말 그런지, 그렇다면 어디까지인지 확인해 봅시다. 여기서는 배치 크기 8부터 훈련 데이터 전체까지 모든 배치 "
    "크기를 여러 학습률로, 학습률마다 세 번씩(시작 가중치와 섞는 순서를 바꿔) "
    "학습시키고, **검증 손실이 목표에 닿을 때까지의 업데이트(스텝) 수**를 셉니다. 연구자들은 "
    "세 구간을 찾았습니다(Shallue 외, 2018): *완벽한 스케일링*(배치 두 배, 스텝 절반), *수확 체감*, *최대 데이터 "
    "병렬성*(배치를 더 키워도 스텝이 줄지 않음). 꺾이는 지점은 **임계 배치 크기** 근처이고, 그래디언트 잡음으로 "
    "미리 짐작할 수 있습니다(McCandlish 외, 2018).",
    "crit.presets": "바로 해 보는 실험",
    "crit.data": "데이터",
    "crit.data.help": "만든 데이터에서는 효과가 뚜렷하게 보입니다. 진짜 손글씨 숫자로는 눈으로 읽을 수 있는 "
    "데이터에서도 그런지 확인할 수 있습니다.",
    "crit.data.synthetic": "만든 데이터",
    "crit.data.digits": "진짜 손글씨 숫자",
    "crit.preset.digits_tuned": "공정하게: 크기마다 튜닝",
    "crit.preset.digits_tuned.help": "배치 크기마다 손글씨 숫자용 후보 가운데 가장 좋은 학습률을 씁니다.",
    "crit.preset.digits_untuned": "불공정하게: 학습률 하나",
    "crit.preset.digits_untuned.help": "모든 배치 크기가 손글씨 숫자용 후보의 가운데 값인 학습률 0.4를 씁니다.",
    "crit.preset.digits_loose": "느슨한 목표",
    "crit.preset.digits_loose.help": "검증 손실 1.0입니다. 학습 초반에 닿는 쉬운 목표입니다.",
    "crit.target_digits": "목표 검증 손실 (교차 엔트로피)",
    "crit.target.help_digits": "검증 손실이 이 값 이하로 처음 내려간 스텝에서 '목표에 닿았다'고 봅니다. 학습 "
    "전 모델은 약 2.3(숫자 열 개 중 찍기)이고, 이 실험에서 내려갈 수 있는 값은 0.5 정도까지입니다.",
    "crit.seed.help_digits": "시드를 바꾸면 처음 가중치와 섞는 순서가 바뀝니다. 이미지는 그대로입니다.",
    "crit.lr.help_digits": "스위치를 켜면 모든 배치 크기에 이 학습률을 씁니다. 후보 가운데 하나입니다. 후보는 "
    "0.8까지인데, 1.6이나 3.2에서는 큰 배치의 손실이 튀어 목표에 닿지 못하기 때문입니다.",
    "crit.digits.about": "진짜 손글씨 숫자에서는 앞의 이미지 {train}장으로 학습하고(배치 크기를 훈련 데이터 "
    "전체까지 두 배씩 늘릴 수 있도록 2의 거듭제곱으로 골랐습니다) 마지막 {val}장으로 검증합니다(Keras가 "
    "`validation_split=0.2`로 떼어 두는 바로 그 {val}장). 모델은 노트 모델을 작게 줄인 64 → 16 → 10이고, "
    "손실은 교차 엔트로피입니다.",
    "crit.running_made_up": "비교를 위해 만든 데이터로도 학습하는 중…",
    "crit.digits.versus": "피팅한 B_crit를 비교하면, 만든 데이터(기본 목표 MSE {target}, 크기마다 튜닝)에서는 "
    "{made_up}, 진짜 손글씨 숫자(목표 {digits_target})에서는 {b_crit}입니다.",
    "crit.preset.tuned": "공정하게: 크기마다 튜닝",
    "crit.preset.tuned.help": "배치 크기마다 후보 학습률 중 가장 좋은 것을 씁니다.",
    "crit.preset.untuned": "불공정하게: 학습률 하나",
    "crit.preset.untuned.help": "모든 배치 크기가 학습률 0.05를 씁니다. 작은 배치에만 맞춰 튜닝한 실험과 같습니다.",
    "crit.preset.close": "최선에 가까운 목표",
    "crit.preset.close.help": "검증 손실 0.32. 목표가 어려울수록 임계 배치가 커집니다.",
    "crit.preset.loose": "느슨한 목표",
    "crit.preset.loose.help": "검증 손실 0.5. 학습 초반에 금방 닿는 쉬운 목표입니다.",
    "crit.target": "목표 검증 손실 (MSE)",
    "crit.target.help": "검증 손실이 이 값 이하가 되는 첫 스텝에서 '목표에 닿았다'고 봅니다. 레이블에 섞인 잡음 "
    "때문에 가장 좋아도 약 {floor}입니다.",
    "crit.fixed": "모든 크기에 학습률 하나",
    "crit.fixed.help": "끄면 배치 크기마다 후보 중 가장 좋은 학습률을 씁니다(공정한 비교). 켜면 옆에서 고른 "
    "학습률 하나를 모든 크기에 씁니다.",
    "crit.lr": "그 학습률 (SGD)",
    "crit.lr.help": "스위치를 켰을 때 모든 배치 크기에 쓰는 학습률이며, 후보 학습률 중 하나입니다. 후보는 "
    "0.1까지입니다. 0.2부터는 이 신경망의 손실이 큰 배치에서 갑자기 튀어 오르고, 0.4에서는 발산합니다.",
    "crit.seed": "시드",
    "crit.seed.help": "시드를 바꾸면 데이터, 시작 가중치, 섞는 순서가 모두 달라집니다.",
    "crit.running": "모델 {runs}개를 학습하는 중… (가중치 업데이트 총 {steps}번)",
    "crit.noise_running": "학습 도중의 그래디언트 잡음을 재는 중…",
    "crit.steps.title": "1. 목표까지의 스텝 수",
    "crit.steps.x": "배치 크기 B",
    "crit.steps.y": "목표까지의 스텝 (가중치 업데이트) 수",
    "crit.steps.lr": "학습률",
    "crit.steps.low": "가장 빠른 실행",
    "crit.steps.high": "가장 느린 실행",
    "crit.series.tuned": "크기마다 가장 좋은 학습률",
    "crit.series.fixed": "모든 크기에 학습률 {lr}",
    "crit.series.tuned_ghost": "크기마다 튜닝한 결과 (비교용)",
    "crit.series.fit": "피팅 곡선: S_min + E_min/B",
    "crit.series.perfect": "B = {b}에서 시작한 완벽한 스케일링",
    "crit.series.predicted": "예측 (B_noise = {b})",
    "crit.region.perfect": "완벽한 스케일링",
    "crit.region.diminishing": "수확 체감",
    "crit.region.maximal": "최대 데이터 병렬성",
    "crit.metric.bcrit": "임계 배치 B_crit",
    "crit.metric.smin": "S_min (가장 적은 스텝)",
    "crit.metric.emin": "E_min (가장 적은 샘플)",
    "crit.steps.how_tuned": "점 하나는 실행 {reps}번(시작 가중치와 섞는 순서만 다름)의 중앙값이고, 막대는 가장 "
    "빠른 실행부터 가장 느린 실행까지입니다. 학습률은 후보 {lrs}개({grid}) 가운데 중앙값이 가장 작은 것을 "
    "골랐습니다. 검증 손실은 에포크마다 재고, 두 측정 사이의 스텝은 보간했습니다.",
    "crit.steps.how_fixed": "점 하나는 실행 {reps}번(시작 가중치와 섞는 순서만 다름)의 중앙값이고, 막대는 가장 "
    "빠른 실행부터 가장 느린 실행까지입니다. 모든 크기가 학습률 {lr|을} 씁니다.",
    "crit.steps.span": "B = {b0}에서 B = {b1}까지 배치가 {bratio:,}배 커지는 동안 스텝은 {sratio}배 "
    "줄었습니다({s0} → {s1}).",
    "crit.steps.perfect_until": "B = {b}까지는 배치를 두 배로 늘릴 때마다 이상적인 절반 감소의 80% 이상을 "
    "얻었습니다(완벽한 스케일링).",
    "crit.steps.perfect_none": "첫 번째 두 배(B = {b0} → {b1})의 결과: {saved}. 완벽한 스케일링의 기준인 80%에 못 "
    "미칩니다.",
    "crit.steps.maximal_from": "B = {b}부터는 배치를 두 배로 늘려도 20% 이하만 얻었습니다(최대 데이터 병렬성). "
    "여기서부터는 배치를 키워도 스텝이 거의 줄지 않습니다. 두 배마다의 결과는 색칠한 구간과 표의 마지막 두 "
    "열에 있습니다.",
    "crit.steps.maximal_until": "B = {b}부터 목표에 닿은 가장 큰 크기인 B = {end}까지는 배치를 두 배로 늘려도 20% "
    "이하만 얻었습니다(최대 데이터 병렬성). 여기서부터는 배치를 키워도 스텝이 거의 줄지 않습니다. 두 배마다의 "
    "결과는 색칠한 구간과 표의 마지막 두 열에 있습니다.",
    "crit.steps.maximal_none": "마지막 두 배(B = {b0} → {b1})의 결과도 {saved}입니다. 이 크기들 안에서는 배치를 "
    "키우면 스텝이 계속 줄었습니다. 두 배마다의 결과는 색칠한 구간과 표의 마지막 두 열에 있습니다.",
    "crit.doubling.saved": "이상적인 절반 감소의 {pct}%",
    "crit.doubling.cost": "오히려 스텝 {pct}% 증가",
    "crit.metric.caption": "B_crit, S_min, E_min은 표의 점들에 S_min + E_min/B 곡선을 피팅해 얻은 값입니다.",
    "crit.metric.caption_fixed": "B_crit, S_min, E_min은 표의 점들(모두 학습률 {lr})에 S_min + E_min/B 곡선을 "
    "피팅해 얻은 값입니다. 연구에서 말하는 값은 튜닝한 실행에서 나옵니다(스위치를 꺼 보세요).",
    "crit.steps.caption_fixed": "모든 크기에 같은 학습률({lr})을 쓰면 B = {b1}에서는 {s1} 스텝이 걸립니다. 가장 "
    "좋은 학습률로는 {t1} 스텝이니 {ratio}배입니다. 회색 점은 튜닝한 결과입니다. 튜닝하지 않은 비교는 큰 배치를 "
    "실제보다 훨씬 나빠 보이게 만듭니다.",
    "crit.steps.not_reached": "학습하는 동안 목표에 닿지 못한 크기: B = {batches}. 이 크기들은 빼고 그렸습니다.",
    "crit.fit.none": "목표에 닿은 배치 크기가 둘보다 적거나, 배치가 커져도 스텝이 줄지 않아 곡선을 피팅할 수 "
    "없습니다. 더 느슨한 목표를 골라 보세요.",
    "crit.table.batch": "배치 크기",
    "crit.table.lr": "학습률",
    "crit.table.steps": "스텝 (중앙값)",
    "crit.table.spread": "가장 빠른–느린 실행",
    "crit.table.examples": "샘플 수 (스텝 × B)",
    "crit.table.saved": "두 배의 효과 (B/2 → B)",
    "crit.table.region": "구간",
    "crit.table.none": "못 닿음",
    "crit.tradeoff.title": "2. 목표까지의 샘플 수: 스텝과 샘플의 맞바꿈",
    "crit.tradeoff.x": "목표까지의 스텝",
    "crit.tradeoff.y": "목표까지 본 훈련 샘플",
    "crit.tradeoff.batch": "배치 크기",
    "crit.tradeoff.fit": "(S/S_min − 1)(E/E_min − 1) = 1",
    "crit.tradeoff.caption": "작은 배치는 샘플은 적게 쓰지만 스텝이 많고, 큰 배치는 스텝은 적지만 샘플을 많이 "
    "씁니다. 피팅한 쌍곡선에서 S_min = {s_min} 스텝(어떤 배치도 이보다 적게는 안 됨), E_min = {e_min} 샘플(역시 "
    "최소)이고, 따라서 B_crit = E_min/S_min = {b_crit}입니다. B_crit에서는 최소 스텝의 두 배, 최소 샘플의 두 배가 "
    "듭니다(마름모). 훈련 샘플은 {n}개입니다.",
    "crit.tradeoff.fixed": "표에 있는 실행들이며, 모두 학습률 {lr|을} 씁니다.",
    "crit.mark.smin": "S_min",
    "crit.mark.emin": "E_min",
    "crit.mark.bcrit": "B_crit ≈ {b}",
    "crit.noise.title": "3. 그래디언트 잡음 척도가 꺾이는 곳을 알려 준다",
    "crit.noise.intro": "가중치를 고정해 두고 배치 그래디언트가 얼마나 흔들리는지 재 봅니다. 단순 잡음 척도 "
    "B_simple = tr(Σ)/|G|²는 샘플별 그래디언트가 퍼진 정도 tr(Σ)를 진짜 그래디언트의 크기 |G|²와 비교합니다. 샘플 "
    "B_simple개짜리 배치는 담긴 정보만큼 잡음도 큽니다. 여기서는 모든 샘플의 그래디언트를 정확히 계산하고, 데이터 "
    "병렬 학습처럼 두 크기({small}, {big})의 배치 그래디언트만으로도 같은 값을 추정합니다.",
    "crit.noise.x": "측정용 실행의 스텝 (배치 {b}, 학습률 {lr})",
    "crit.noise.y": "잡음 척도 B_simple (샘플)",
    "crit.noise.exact": "정확한 값 (모든 샘플의 그래디언트)",
    "crit.noise.two_batch": "두 배치 추정 ({draws}쌍)",
    "crit.noise.bcrit": "피팅한 B_crit = {b}",
    "crit.noise.caption": "초기화 직후 B_simple = {init}(두 배치 추정: {init_est})입니다. 손실이 줄수록 잡음 척도는 "
    "커집니다. 측정용 실행이 처음으로 검증 손실 {target}에 닿은 곳(스텝 {step})에서 B_simple = {at}(추정: "
    "{at_est})이고, 위의 스텝 수로 피팅한 B_crit는 {b_crit}입니다.",
    "crit.noise.caption_nofit": "초기화 직후 B_simple = {init}(두 배치 추정: {init_est})입니다. 손실이 줄수록 잡음 "
    "척도는 커집니다. 측정용 실행이 처음으로 검증 손실 {target}에 닿은 곳(스텝 {step})에서 B_simple = {at}(추정: "
    "{at_est})입니다. 위의 스텝 수로는 B_crit를 피팅할 곡선이 없습니다.",
    "crit.noise.caption_missed": "초기화 직후 B_simple = {init}(두 배치 추정: {init_est})입니다. 측정용 실행은 "
    "검증 손실 {target}에 닿지 못했고, 마지막 측정에서 B_simple = {at}(추정: {at_est})입니다.",
    "crit.predict.caption": "검은 점선('예측')은 S_min(1 + B_noise/B)입니다. 여기서 S_min(= {s_min})은 피팅한 "
    "값이고, B_noise(= {b_noise})는 위에서 잰 값입니다(피팅하지 않음). 잰 스텝 수와 평균 {error}% 차이가 납니다.",
    "crit.predict.fixed": "이 예측은 크기마다 가장 좋은 학습률을 쓸 때의 것인데, 여기 점들은 모두 학습률 {lr|을} "
    "씁니다.",
    "crit.budget.title": "4. 에포크 예산은 목표가 아니다",
    "crit.budget.intro": "노트(그리고 *배치 크기의 장단점* 페이지)는 배치 크기를 **같은 에포크 수**로 "
    "비교합니다(여기서는 실행들의 중앙값). "
    "그러면 배치가 두 배면 가중치 업데이트가 절반이니, 큰 배치는 처음부터 질 수밖에 없습니다. 이런 비교는 완벽한 "
    "스케일링 구간만 들여다봅니다(Google의 Deep Learning Tuning Playbook).",
    "crit.budget": "에포크 예산",
    "crit.budget.help": "모든 배치 크기가 훈련 샘플 {n}개를 이 횟수만큼 처음부터 끝까지 봅니다.",
    "crit.budget.x": "배치 크기 B",
    "crit.budget.y": "예산을 다 쓴 뒤의 검증 손실",
    "crit.budget.target": "목표 {target}",
    "crit.budget.caption": "{epochs} 뒤, B = {b0}에서는 {u0} 만에 검증 손실 {l0}에 닿고, B = {b1}에서는 {u1} 뒤에도 "
    "{l1}에 그칩니다. 목표까지의 스텝으로 세면 B = {b1}에서는 {s1} 스텝, B = {b0}에서는 {s0} 스텝입니다.",
    "crit.budget.caption_missed": "{epochs} 뒤, B = {b0}에서는 {u0} 만에 검증 손실 {l0}에 닿고, B = {b1}에서는 {u1} "
    "뒤에도 {l1}에 그칩니다.",
    "crit.count.epochs.one": "{count} 에포크",
    "crit.count.epochs.other": "{count} 에포크",
    "crit.count.updates.one": "업데이트 {count}번",
    "crit.count.updates.other": "업데이트 {count}번",
    "crit.claims.title": "이 두 주장은 언제 맞을까? *배치는 얼마나 커질 수 있을까?* 페이지에서 잰 결과",
    "crit.claims.faster": "**큰 배치가 더 빨리 학습한다**는 스텝으로 따지면 어느 지점까지만 맞습니다. B = {high}부터는 "
    "배치를 두 배로 늘려도 검증 손실 {target}까지의 업데이트가 이상적인 절반 감소의 20% 이하만 줄었습니다"
    "(B_crit ≈ {b_crit}, 배치 8–{n}, 크기마다 학습률 튜닝, 실행 {reps}번의 중앙값).",
    "crit.claims.faster_all": "**큰 배치가 더 빨리 학습한다**는 스텝으로 따지면 잰 모든 배치 크기에서 맞았습니다. "
    "마지막 두 배에서도 검증 손실 {target}까지의 업데이트가 이상적인 절반 감소의 20%보다 많이 줄었습니다(B_crit ≈ "
    "{b_crit}, 배치 8–{n}, 크기마다 학습률 튜닝, 실행 {reps}번의 중앙값).",
    "crit.claims.faster_none": "**큰 배치가 더 빨리 학습한다**: 배치를 두 배로 늘려도 업데이트가 더는 줄지 않는 "
    "곳을 재 보세요.",
    "crit.claims.generalise": "**작은 배치가 일반화에 더 좋다**는 비교가 불공정할 때만 맞습니다. 크기마다 학습률을 "
    "튜닝하면 가장 낮은 검증 손실은 B = {b0}에서 {small}, B = {b1}에서 {large}입니다. 모든 크기에 학습률 "
    "하나({lr})를 쓰면 B = {b1}에서는 {large_fixed}에 그칩니다.",
    "crit.claims.generalise_holds": "**작은 배치가 일반화에 더 좋다**는 크기마다 학습률을 튜닝해도 여기서 "
    "맞았습니다. 가장 낮은 검증 손실은 B = {b0}에서 {small}, B = {b1}에서 {large}입니다(모든 크기에 학습률 {lr} "
    "하나를 쓰면 B = {b1}에서는 {large_fixed}).",
    "crit.claims.link": "측정 결과 열기",
    "lesson.critical.title": "배치는 얼마나 커질 수 있을까?",
    "lesson.critical.show": "배치 크기 8부터 1,024까지, 크기마다 가장 좋은 학습률로 검증 목표에 닿는 스텝 수를 "
    "봅니다. 처음에는 스텝이 절반씩 줄다가 어느 순간 멈춥니다. 학습률 하나를 모든 크기에 쓰도록 켜고, 큰 배치가 "
    "뒤처지는 모습을 함께 확인해 보세요.",
    "lesson.critical.ask": "배치를 두 배로 늘려도 스텝이 더는 줄지 않는 것은 어느 크기부터일까?",
}
