-- Staff whose password someone else chose (added or reset by an admin, or generated at the first
-- start) are asked to change it until they do. Existing accounts are not known to be such: false.
ALTER TABLE "users" ADD COLUMN "password_set_by_other" boolean DEFAULT false NOT NULL;
