"""Timetables as things a teacher owns: names, deletion with undo, the current one, duplicates."""
