"""The knowledge base from the service: admins add past reports and policy texts to the corpus,
list, remove and re-index them, and see why a file failed (``/api/v1/knowledge``, the page's
知识库 area). The CLI's ``assistant index`` remains the way to index a folder on the server."""
