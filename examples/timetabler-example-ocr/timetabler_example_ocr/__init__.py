"""An example third-party Timetabler plugin: the 'example_ocr' engine and its admin page."""
