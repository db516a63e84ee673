"""한국어 문구. 페이지마다 모듈 하나이고, 키는 ``en``과 똑같습니다."""

import sys

from ui.locales._merge import merged

STRINGS: dict[str, str] = merged(sys.modules[__name__])
