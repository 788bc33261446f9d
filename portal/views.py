from django.http import HttpResponse


def robots_txt(request):
    raise NotImplementedError


def healthz(request):
    return HttpResponse("ok")
