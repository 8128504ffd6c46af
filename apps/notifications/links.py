"""Private links minted when an e-mail is sent, and never stored readable.

A feature whose e-mails carry a secret link (a 360 rater's) registers a minter for its kinds. The reminder's
stored context then holds only what identifies the thing (an invitation id); when the dispatcher sends the e-mail
it asks the minter for the context to send with, and the minter makes a fresh link, keeping only its hash. So no
row, admin page or failed-reminder list ever shows a usable link. Notifications knows no feature: the feature
hands the minter down (AppConfig.ready), as with every other callback.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Any

Minter = Callable[[dict[str, Any], datetime], dict[str, Any]]
_minters: dict[str, Minter] = {}


def link_minter_register(*, kinds: list[str], minter: Minter) -> None:
    for kind in kinds:
        _minters[kind] = minter


def context_to_send(*, kind: str, context: dict[str, Any], now: datetime) -> dict[str, Any]:
    """The context an e-mail of this kind is sent with: the stored one, with any private link minted now."""
    minter = _minters.get(kind)
    return minter(context, now) if minter else context
