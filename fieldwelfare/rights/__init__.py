"""The data subject's rights (docs/privacy.md): erasure that reaches every replica, subject
access, the read log and retention."""
