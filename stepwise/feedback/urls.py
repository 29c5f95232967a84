from django.urls import path

from stepwise.feedback import views, views_page, views_paper, views_results, views_team

app_name = "feedback"

urlpatterns = [
    path("feedback/<slug:slug>/", views.answer_form, name="answer"),
    path("feedback/<slug:slug>/thank-you/", views.answered, name="answered"),
    path("page-feedback/", views_page.give, name="page_feedback"),
    path("evaluation/", views_team.form_list, name="team"),
    path("evaluation/built-in/", views_team.install_builtins, name="team_builtins"),
    path("evaluation/new/", views_team.form_new, name="team_new"),
    path("evaluation/page-feedback/", views_page.feedback_list, name="page_feedback_list"),
    path(
        "evaluation/page-feedback/<int:feedback_id>/handled/",
        views_page.mark_handled,
        name="page_feedback_handled",
    ),
    path("evaluation/results/", views_results.results_list, name="results_list"),
    path("evaluation/<int:form_id>/", views_team.form_detail, name="team_form"),
    path("evaluation/<int:form_id>/settings/", views_team.form_settings, name="team_settings"),
    path(
        "evaluation/<int:form_id>/questions/new/",
        views_team.question_new,
        name="team_question_new",
    ),
    path(
        "evaluation/<int:form_id>/questions/<int:question_id>/",
        views_team.question_edit,
        name="team_question",
    ),
    path(
        "evaluation/<int:form_id>/questions/<int:question_id>/<str:action>/",
        views_team.question_action,
        name="team_question_action",
    ),
    path("evaluation/<int:form_id>/publish/", views_team.publish, name="team_publish"),
    path("evaluation/<int:form_id>/new-version/", views_team.new_version, name="team_new_version"),
    path("evaluation/<int:form_id>/ask/", views_team.ask_now, name="team_ask"),
    path("evaluation/<int:form_id>/print/", views_paper.print_blank, name="print"),
    path("evaluation/<int:form_id>/paper/", views_paper.enter_paper, name="paper"),
    path("evaluation/<int:form_id>/results/", views_results.results, name="results"),
    path("evaluation/<int:form_id>/results.xlsx", views_results.results_xlsx, name="results_xlsx"),
]
