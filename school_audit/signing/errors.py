"""Why a signature check failed: one exception type, so callers need not know cryptography."""


class SignatureInvalid(ValueError):
    """A signature, key or signed document that does not check out."""
