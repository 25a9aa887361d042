"""The password policy shared by the setup wizard, "change my password" and the CLI."""
from __future__ import annotations

MIN_LENGTH = 12

# A small list of the most common passwords and patterns people pick to reach 12 chars.
COMMON = frozenset("""
password123 password1234 123456789012 qwertyuiop12 qwertyuiop123 administrator
passw0rd1234 letmein12345 welcome12345 iloveyou1234 changeme1234 adminadmin12
admin1234567 1q2w3e4r5t6y 123qweasdzxc qwerty123456 abc123456789 000000000000
111111111111 123123123123 zaq12wsxcde3 password!234 p@ssw0rd1234 trustno1trust
monkey123456 dragon123456 football1234 baseball1234 superman1234 sunshine1234
princess1234 zapdesk12345 zapzapzapzap owaspzap1234 security1234 secret123456
""".split())


def password_problems(password: str, email: str = "") -> list[str]:
    """Return what is wrong with `password` in words a person can act on ([] if fine)."""
    problems = []
    if len(password) < MIN_LENGTH:
        problems.append(f"Use at least {MIN_LENGTH} characters (this one has {len(password)}).")
    lowered = password.lower()
    if email and (lowered == email.lower() or lowered == email.split("@")[0].lower()):
        problems.append("The password must not be your email address.")
    if lowered in COMMON or len(set(password)) <= 2:
        problems.append("That password is too common; choose something less guessable.")
    return problems
