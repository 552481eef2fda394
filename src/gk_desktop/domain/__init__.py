"""Pure rules, enumerations and dataclasses: no I/O, no SQLAlchemy, no Qt."""
