"""The browser's widgets; each one renders untrusted story text as plain `Content`."""
