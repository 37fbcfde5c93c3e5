"""Calendar and export: a timetable as iCalendar or CSV, and a per-user secret calendar feed."""
