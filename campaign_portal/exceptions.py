class PortalError(Exception):
    """A business rule refused an action; the message is for the user (Vietnamese, translatable)."""

    def __init__(self, message, *, field: str | None = None):
        super().__init__(message)
        self.message = message
        self.field = field

    def __str__(self):
        return str(self.message)
