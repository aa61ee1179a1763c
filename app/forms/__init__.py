"""WTForms classes for the pages. Forms only parse and coerce; the domain judges values."""
