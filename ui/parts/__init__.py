"""What every page shares: the browser session's profile, its settings, and cached resources."""
