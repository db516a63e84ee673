"""진짜 손글씨 숫자 페이지."""

STRINGS: dict[str, str] = {
    "nav.digits": "진짜 손글씨 숫자",
    "digits.title": "진짜 손글씨 숫자",
    "digits.intro": "다른 페이지는 수업을 위해 만든 데이터로 학습합니다. 이 페이지는 13명이 양식에 직접 쓴 "
    "**손글씨 숫자 1,797장**으로 학습합니다. 에포크와 배치에 대해 배운 것이 눈으로 읽을 수 있는 진짜 데이터에서도 "
    "그대로 성립하는지 확인해 보세요.",
    "digits.data.title": "1 · 데이터",
    "digits.data.body": "이미지 한 장은 8 × 8 픽셀입니다. 픽셀 값은 스캔한 글씨의 4 × 4 칸(점 16개)에 잉크 "
    "점이 몇 개인지 센 것으로, 0(빈칸)부터 16(전부 잉크)까지입니다. 모델은 이미지 한 장의 숫자 64개를 한 줄로 "
    "펴서, 각각 16으로 나눈 값을 읽습니다. 노트에서 MNIST의 28 × 28 픽셀을 펴고 255로 나누는 것과 같은 "
    "방법입니다.",
    "digits.data.caption": "데이터에 있는 숫자별 첫 두 장입니다.",
    "digits.data.alt": "손글씨 숫자 {digit}",
    "digits.credit": "데이터: E. Alpaydin, C. Kaynak의 *Optical Recognition of Handwritten Digits*, [UCI "
    "Machine Learning Repository]({url}), CC BY 4.0 라이선스. 이 데이터 세트의 테스트용 이미지 1,797장으로, "
    "scikit-learn이 `load_digits`로 제공하는 사본입니다.",
    "digits.keras.title": "2 · 노트의 Keras 예제를 실제로 돌리기",
    "digits.keras.intro": "노트에서는 이 모델을 MNIST로 학습합니다. 여기서는 같은 모델을 손글씨 숫자로, "
    "PyTorch에서 Keras와 같은 설정과 같은 스텝 수로 학습합니다. 층 두 개, Keras의 기본 학습률 0.001인 Adam, "
    "에포크마다 섞는 훈련 데이터, 검증용으로 떼어 둔 마지막 20%까지 모두 같습니다. 다만 처음 가중치와 섞는 "
    "순서는 PyTorch의 것이라 세부 숫자는 Keras로 돌린 결과와 다릅니다.",
    "digits.batch": "배치 크기 (`batch_size`)",
    "digits.batch.help": "가중치 업데이트 한 번에 쓰는 이미지 수입니다. 1,437은 훈련 데이터 전체를 한꺼번에 "
    "쓰는 것으로, 에포크마다 업데이트가 한 번뿐입니다.",
    "digits.batch.all": "{b} (전체)",
    "digits.epochs": "에포크 (`epochs`)",
    "digits.epochs.help": "훈련 이미지 1,437장을 몇 바퀴 도는지 정합니다. 이 슬라이더를 움직여도 새로 학습하지 "
    "않습니다. 배치 크기마다 {max} 에포크를 한 번 학습해 두고, 더 짧은 학습은 그 앞부분과 정확히 같기 "
    "때문입니다.",
    "digits.seed": "시드",
    "digits.seed.help": "처음 가중치와 섞는 순서를 정합니다. 시드가 같으면 결과도 항상 같습니다.",
    "digits.presets": "노트에 나오는 배치 크기:",
    "digits.preset.8": "작은 배치: 8",
    "digits.preset.8.help": "노트의 작은 배치(`batch_size=8`)입니다. 에포크마다 업데이트가 많고, 하나하나는 "
    "적은 이미지로 구합니다.",
    "digits.preset.32": "노트의 예제: 32",
    "digits.preset.32.help": "노트의 예제 그대로(`batch_size=32`)입니다.",
    "digits.preset.256": "큰 배치: 256",
    "digits.preset.256.help": "노트의 큰 배치(`batch_size=256`)입니다. 에포크마다 업데이트가 적고, 하나하나는 "
    "많은 이미지로 구합니다.",
    "digits.preset.1437": "한꺼번에: 1,437",
    "digits.preset.1437.help": "`batch_size=len(X_train)`입니다. 훈련 데이터 전체가 배치 하나라서 에포크마다 "
    "업데이트가 한 번뿐입니다.",
    "digits.training": "손글씨 숫자로 학습 중…",
    "digits.calc": "**계산해 보기.** 이미지 {images}장 가운데 `validation_split=0.2`에 따라 앞의 "
    "**{train}장**은 훈련에, 뒤의 {val}장은 검증에 씁니다. {train} ÷ {b} = {ratio}, 올림하면 한 에포크는 "
    "**{steps_text}**입니다. {batches}. {epochs} 에포크 동안 **{total_text}**입니다.",
    "digits.calc.even": "이미지 {b}장짜리 배치가 {full}개입니다",
    "digits.calc.last": "이미지 {b}장짜리 배치 {full}개와, 이미지가 {last}장인 마지막 배치가 있습니다",
    "digits.calc.one": "이미지 {b}장 전체가 배치 하나입니다",
    "digits.count.steps.one": "{count} 스텝",
    "digits.count.steps.other": "{count} 스텝",
    "digits.count.updates.one": "가중치 업데이트는 모두 {count}번",
    "digits.count.updates.other": "가중치 업데이트는 모두 {count}번",
    "digits.log.title": "Keras 3 로그",
    "digits.log.caption": "이 학습에서 Keras 3이 출력하는 로그입니다(`verbose=1`, 기본값). 스텝 수, 이 컴퓨터에서 잰 "
    "스텝당 시간, 그리고 그 에포크의 훈련 이미지와 떼어 둔 20%에 대한 손실과 정확도가 나옵니다.",
    "digits.loss.train": "훈련 손실 (loss)",
    "digits.loss.val": "검증 손실 (val_loss)",
    "digits.loss.y": "손실 (교차 엔트로피)",
    "digits.acc.train": "훈련 정확도",
    "digits.acc.val": "검증 정확도",
    "digits.acc.y": "정확도",
    "digits.x": "에포크",
    "digits.m.val_acc": "검증 정확도",
    "digits.m.updates": "가중치 업데이트 수",
    "digits.m.best": "val_loss가 가장 낮은 에포크",
    "digits.result": "{epochs} 에포크, 업데이트 {total}번 뒤에 모델은 학습에 한 번도 쓰지 않은 검증 이미지 "
    "{val}장 가운데 {acc|를} 맞힙니다. 검증 손실(val_loss)이 가장 낮았던 때는 에포크 {best|가} 끝난 뒤입니다.",
    "digits.stop": "`EarlyStopping(monitor='val_loss', patience={patience}, restore_best_weights=True)`를 쓰면 "
    "Keras는 에포크 {stop}까지만 학습하고, 검증 손실이 가장 낮았던({restored}) 에포크 {best}의 가중치로 "
    "되돌립니다. 쓰지 않으면 {epochs} 에포크를 모두 돌고, 마지막 검증 손실은 {last}입니다. 이 학습도 오래 하면 "
    "과적합이 시작됩니다.",
    "digits.stop.never": "`EarlyStopping(monitor='val_loss', patience={patience}, "
    "restore_best_weights=True)`를 써도 Keras는 {epochs} 에포크를 모두 학습합니다. 검증 손실이 {patience} "
    "에포크 연속으로 나아지지 않은 적이 한 번도 없었기 때문입니다. 마지막 값은 {last}이고, 가장 낮은 값은 "
    "에포크 {best|가} 끝난 뒤의 {restored}입니다.",
    "digits.stop.link": "이 손글씨 숫자로 조기 종료 자세히 보기",
    "digits.look.title": "3 · 배치 하나 들여다보기",
    "digits.look.intro": "배치는 모델이 가중치를 한 번 업데이트하기 전에 보는 데이터입니다. 업데이트를 하나 골라 "
    "보세요. 아래에 그 업데이트의 배치에 든 이미지와, 그 업데이트 바로 전과 바로 뒤에 모델이 내놓은 답이 나옵니다.",
    "digits.look.batch": "배치 크기",
    "digits.look.batch.help": "이 학습에서 배치 하나에 드는 이미지 수입니다(Adam 0.001, 위에서 고른 시드).",
    "digits.look.update": "업데이트 번호",
    "digits.look.update.help": "학습을 시작한 뒤 몇 번째 업데이트인지 정합니다. 1은 학습하지 않은 모델에서 "
    "시작하는 첫 업데이트입니다.",
    "digits.look.where": "업데이트 번호 {update}: 에포크 {epoch}의 스텝 {step}/{steps}입니다. 이미지 아래에는 "
    "쓴 숫자, 그리고 업데이트 전 → 후의 모델 답이 나옵니다.",
    "digits.look.last": "에포크의 마지막 배치라서 이미지가 {last}장뿐입니다({train} = {full} × {b} + {last}).",
    "digits.look.alt": "이미지 {i}: 손으로 쓴 숫자 {label}. 업데이트 전 모델의 답은 {before}, 업데이트 후의 "
    "답은 {after}.",
    "digits.look.cap": "{label} · {before} → {after}",
    "digits.look.result.down": "이 업데이트는 이 배치의 평균 손실에서 구한 그래디언트로 가중치를 한 번 "
    "바꿨습니다{adam}. 같은 이미지 {b}장에서 손실은 {before}에서 {after|으로} 줄었고, 모델이 맞힌 이미지는 "
    "{right_before}장에서 {right_after}장이 되었습니다. 정답 숫자에 주는 확률은 평균 {change}%p 바뀌었습니다. "
    "업데이트 한 번은 작은 한 걸음이고, 학습은 이런 걸음을 아주 많이 모은 것입니다.",
    "digits.look.result.up": "이 업데이트는 이 배치의 평균 손실에서 구한 그래디언트로 가중치를 한 번 바꿨지만, "
    "같은 이미지 {b}장에서 손실은 오히려 {before}에서 {after|으로} 늘었습니다. Adam은 앞선 배치들의 그래디언트 "
    "평균도 따라가기 때문에 이런 일이 생길 수 있습니다. 모델이 맞힌 이미지는 {right_before}장에서 "
    "{right_after}장이 되었고, 정답 숫자에 주는 확률은 평균 {change}%p 바뀌었습니다.",
    "digits.look.adam": "(Adam은 앞선 배치들의 그래디언트 평균도 함께 씁니다)",
    "digits.look.col.image": "이미지",
    "digits.look.col.digit": "쓴 숫자",
    "digits.look.col.before": "업데이트 전 답",
    "digits.look.col.p_before": "업데이트 전 정답 확률",
    "digits.look.col.after": "업데이트 후 답",
    "digits.look.col.p_after": "업데이트 후 정답 확률",
    "digits.look.table": "배치에 든 이미지별 결과",
}
