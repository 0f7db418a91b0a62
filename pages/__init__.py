"""Routes, page layouts and thin callbacks. Pages never write SQL."""
