SELECT count(*) FROM users WHERE instance_owner;
