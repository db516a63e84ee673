"""한국어 문구. 페이지마다 모듈 하나이고, 키는 ``en``과 똑같습니다.

문체와 용어는 KOREAN.md를 따릅니다(본문은 합니다체, 안내는 "~해 보세요"). 자리표시자 바로 뒤에 조사를
붙이지 마세요: ``{b}를``은 b = 300일 때 틀립니다. "배치 크기가 {b}일 때", "B = {b}에서는"처럼 조사가 필요 없게
쓰거나, 값에 맞는 조사를 고르는 ``{b|을}``을 씁니다(``ui.i18n.fill``: 300을, 32를, 1로, 72%가).
``tests/test_korean.py``가 모든 문구를 여러 값으로 채워 확인합니다.
"""

import sys

from ui.locales._merge import merged

STRINGS: dict[str, str] = merged(sys.modules[__name__])
