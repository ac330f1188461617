"""The implementation of ``outpour.file_system``, which re-exports the public names.

``base`` holds the file-system interface, ``FileInfo`` and the path aliases; ``local`` the file systems with symbolic
links and the local disk; ``fsspec_wrappers`` the adapters for fsspec file systems.
"""
