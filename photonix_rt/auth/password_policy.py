"""What counts as an acceptable new password: long enough, not a well-known one, not the name.

One rule for every way a password is set (``photonix-rt user create``, ``createUser``,
``changePassword``). Nothing is stripped: spaces count like any other character.

Usage::

    check_password("correct horse", "alice")   # raises Invalid with a message for the person
"""

from __future__ import annotations

from photonix_rt.errors import Invalid

__all__ = ["MAX_PASSWORD_LENGTH", "MIN_PASSWORD_LENGTH", "check_password"]

MIN_PASSWORD_LENGTH = 8
# argon2 takes any length, but a megabyte "password" is only a way to burn server time.
MAX_PASSWORD_LENGTH = 1024

# The most common passwords of at least MIN_PASSWORD_LENGTH characters (public breach
# lists); shorter ones are refused by length already. Compared ignoring case.
_COMMON_WORDS = """
password password1 password12 password123 password1234 passw0rd p@ssw0rd p@ssword
12345678 123456789 1234567890 0123456789 87654321 987654321 11111111 00000000 88888888
12341234 11223344 12121212 123123123 1q2w3e4r 1q2w3e4r5t 1qaz2wsx qwertyui qwertyuiop
qwerty123 qwerty12 1qazxsw2 zaq12wsx zaq1zaq1 asdfghjk asdfghjkl zxcvbnm1 abcd1234
abc12345 abcdefgh iloveyou iloveyou1 sunshine princess football baseball superman
starwars whatever trustno1 letmein1 welcome1 welcome123 changeme changeme1 admin123
administrator adminadmin rootroot computer internet michelle jennifer sunshine1
photonix photonix1 photonix-rt photos123 qazwsxedc q1w2e3r4 q1w2e3r4t5 monkey123
dragon123 master123 shadow123 baseball1 football1 chocolate password! secret123
"""
_COMMON = frozenset(_COMMON_WORDS.split())


def check_password(password: str, username: str | None = None) -> None:
    """Refuse passwords that are too short, too long, well known, or the username itself."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise Invalid(f"the password must be at least {MIN_PASSWORD_LENGTH} characters long")
    if len(password) > MAX_PASSWORD_LENGTH:
        raise Invalid(f"the password is longer than {MAX_PASSWORD_LENGTH} characters")
    if len(set(password)) == 1:
        raise Invalid("the password is one character repeated; choose a longer phrase")
    lowered = password.lower()
    if lowered in _COMMON:
        raise Invalid("that password is one of the most common ones; choose another")
    if username is not None and lowered == username.strip().lower():
        raise Invalid("the password may not be the username")
