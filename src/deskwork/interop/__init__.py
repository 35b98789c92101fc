"""File formats: reading and writing other tools' files (CSV, iCalendar, …)."""
