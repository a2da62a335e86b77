"""Review: the section state machine (submit, approve, request changes), the export gate and the
audit log."""
