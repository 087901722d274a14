"""The centre services: Submit for Assessment, Access Arrangements, resources and their
releases, and the files uploaded to them."""
