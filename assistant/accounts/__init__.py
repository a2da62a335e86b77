"""Users, roles, passwords (argon2) and login tokens."""
