SELECT value FROM system.merge_tree_settings WHERE name = 'old_parts_lifetime'
