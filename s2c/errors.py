"""The one family of errors a user of s2c sees: each carries a message meant for a person."""


class S2CError(Exception):
    """Base class: anything s2c refuses to do, with a readable reason."""


class BitstreamError(S2CError):
    """A .s2c file is corrupted, truncated, foreign, or made with another checkpoint."""


class CheckpointError(S2CError):
    """A checkpoint is missing, corrupted, or does not match the requested model."""


class ImageInputError(S2CError):
    """An input file is not a usable image."""
