"""Built-in Timetabler plugin."""
