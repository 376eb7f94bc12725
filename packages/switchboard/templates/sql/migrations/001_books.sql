-- Applied once, in name order, by migrate() at start; add 002_….sql files for later changes.
CREATE TABLE books (
  id serial PRIMARY KEY,
  title text NOT NULL,
  author text NOT NULL,
  published integer NOT NULL
);

INSERT INTO books (title, author, published) VALUES
  ('The Left Hand of Darkness', 'Ursula K. Le Guin', 1969),
  ('The Dispossessed', 'Ursula K. Le Guin', 1974),
  ('Kindred', 'Octavia E. Butler', 1979),
  ('Parable of the Sower', 'Octavia E. Butler', 1993);
