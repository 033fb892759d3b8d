"""Operations: changes that read and write through the database session; the caller commits."""
