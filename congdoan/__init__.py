"""congdoan: the platform of the Vietnamese trade union system."""

__version__ = "0.1.0"
