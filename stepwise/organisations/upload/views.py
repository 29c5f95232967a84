from django.http import HttpResponse


def bulk_upload(request):
    return HttpResponse("not built yet")
