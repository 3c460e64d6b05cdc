from django.urls import path

from dtis.guide import views

app_name = "guide"

urlpatterns = [
    path("huong-dan/", views.index, name="index"),
    # Chapter 01 (getting started) has a URL of its own: the sign-in page links
    # to it and it is the one page of the guide readable without signing in.
    path("huong-dan/bat-dau/", views.start, name="start"),
    path("huong-dan/tim/", views.search_page, name="search"),
    path("huong-dan/tai-ve.docx", views.download_docx, name="docx"),
    path("huong-dan/tai-ve.pdf", views.download_pdf, name="pdf"),
    path("huong-dan/<slug:slug>/", views.chapter_page, name="chapter"),
]
