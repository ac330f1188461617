"""The implementation of ``outpour.serialization``: msgspec encoders, decoders and their hooks, and their caches.

``caches`` holds the bounded caches everything here shares; ``type_encoders`` the default ``type_encoders`` and which
encoder applies to a type; ``encoding`` the ``enc_hook`` and the JSON and MessagePack encoders; ``deserializers`` the
``dec_hook`` and the built-in decoders; ``decoding`` the decoders, ``decode_json``, ``decode_msgpack`` and ``convert``.
``outpour.serialization`` re-exports the public names.
"""
