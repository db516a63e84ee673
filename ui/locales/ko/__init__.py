"""한국어 문구. 페이지마다 모듈 하나이고, 키는 ``en``과 똑같습니다."""

from ui.locales.ko import calc, shell

STRINGS: dict[str, str] = shell.STRINGS | calc.STRINGS
