"""Reading an uploaded credential no further than the limit: a 20 MB file is stopped at the
limit instead of being spooled to disk, and the person is told it is too large."""

from django.core.files.uploadhandler import FileUploadHandler, StopUpload


class CredentialSizeLimit(FileUploadHandler):
    def __init__(self, request=None, *, limit: int):
        super().__init__(request)
        self.limit = limit
        self.exceeded = False

    def receive_data_chunk(self, raw_data, start):
        if start + len(raw_data) > self.limit:
            self.exceeded = True
            # Read and discard the rest of the request, so the browser gets our answer
            # rather than a reset connection.
            raise StopUpload(connection_reset=False)
        return raw_data  # on to the usual handlers

    def file_complete(self, file_size):
        return None
