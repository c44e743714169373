"""Pure domain: enums, errors, rules and views; no database, no UI."""
