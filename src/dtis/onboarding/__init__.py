"""First-login tour per role (driver.js), dismissible, replayed from the help menu."""
