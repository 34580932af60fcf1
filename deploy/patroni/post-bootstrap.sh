#!/bin/sh
# Run once by Patroni on the new cluster's first primary: the platform's owner role and database.
# Patroni passes a connection string; the owner's password comes from the environment Patroni was
# started with (KOV_OWNER_PASSWORD), never from this file.
set -eu
psql "$1" -v ON_ERROR_STOP=1 -v pw="$KOV_OWNER_PASSWORD" <<'SQL'
SELECT format('CREATE ROLE kov LOGIN CREATEROLE PASSWORD %L', :'pw') \gexec
CREATE DATABASE kov OWNER kov ENCODING 'UTF8' TEMPLATE template0;
SQL
