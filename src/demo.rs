//! A realistic sample journal.
