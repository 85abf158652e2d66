import datetime as dt

import pytest


@pytest.fixture
def clock(time_machine):
    """A ticking clock the test can move forward with `clock.shift(seconds)`."""
    time_machine.move_to(dt.datetime.now(dt.UTC), tick=True)
    return time_machine
