"""앱 틀 문구: 이름, 내비게이션, URL 안내."""

STRINGS: dict[str, str] = {
    # --- 앱 틀 ---
    "app.name": "에포크 & 배치 실험실",
    "nav.calculator": "에포크와 배치",
    "nav.exam": "시험으로 이해하기",
    "nav.tradeoffs": "배치 크기의 장단점",
    "nav.batchnorm": "BatchNorm과 마지막 배치",
    "nav.epochs": "에포크와 조기 종료",
    "nav.section.lab": "수업 순서",
    "shell.about": "슬라이더를 움직이면 진짜 PyTorch가 반응합니다. 모든 숫자는 PyTorch와 Keras가 실제로 "
    "하는 방식 그대로입니다.",
    # --- URL 상태 ---
    "url.ignored": "링크에 든 **{key}** 값({value})은 쓸 수 없어서 무시하고 기본값을 씁니다. 쓸 수 있는 값: "
    "{expected}.",
    "url.swapped": "링크의 **{low_key}** 값({low})이 **{high_key}** 값({high})보다 커서 두 값을 서로 "
    "바꿨습니다. 지금은 {low_key} = {high}, {high_key} = {low}입니다.",
    "nav.not_found.title": "페이지를 찾을 수 없습니다",
    "nav.not_found.body": "이 앱에는 {path} 주소의 페이지가 없습니다. 링크에 오타가 있거나 예전 주소일 수 "
    "있습니다. 아래나 사이드바에서 페이지를 골라 보세요.",
    "url.expect_int": "{low}부터 {high}까지의 정수",
    "url.expect_bool": "true 또는 false",
    "url.expect_choice": "{options} 중 하나",
    "url.share_title": "이 설정 공유하기",
    "url.share_help": "이 링크를 열면 지금 설정 그대로 페이지가 열립니다. 상자 오른쪽 버튼을 누르면 복사됩니다.",
    # --- downloads ---
    "csv.download": "데이터 내려받기 (CSV)",
    "csv.download.help": "이 실행의 숫자를 표로 내려받아 스프레드시트나 pandas에서 열어 볼 수 있습니다.",
    # --- presentation mode ---
    "present.switch": "발표 모드",
    "present.switch.help": "화면에 띄우기 좋게 글자를 키우고 설명은 접어 둡니다. 링크에도 남습니다: 어느 페이지든 "
    "주소 끝에 ?present=1을 붙이면 됩니다.",
    "present.explain": "설명 보기",
    "present.answer": "정답 보기",
    "chart.alt.xy": "{x}에 따른 {y} 그래프.",
    "chart.alt.one": "{axis} 그래프.",
    "chart.alt.none": "그래프.",
    "chart.alt.by": "색: {colour}.",
}
