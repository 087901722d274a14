"""Submit for Assessment, Access Arrangements, resources and releases."""
