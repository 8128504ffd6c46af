"""Every write of the career and role explorer, a module per part (profiles, history, reflection). This package
holds only the app's one domain error."""


class CareersError(Exception):
    """A change the explorer refuses, in words to show the person; nothing was changed."""


class StaleVersion(CareersError):
    """An edit made to a version that is no longer the current one: someone else saved theirs meanwhile."""
