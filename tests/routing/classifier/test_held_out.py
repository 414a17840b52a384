"""Sanity check on requests written for this test only, never part of the seed set."""

from __future__ import annotations

import pytest

from servicedesk.routing.classifier import ServiceClassifier

# Plain, unambiguous requests: a model trained on the seed set must get them right.
OBVIOUS_REQUESTS = [
    (
        "incident",
        "Баллы не пришли",
        "Здравствуйте, купила продукты в Мега-Маркете на Профсоюзной 3 дня назад, "
        "карту отсканировали, а баллы так и не начислены. Карта 7788 3131 4242 5353.",
    ),
    (
        "incident",
        "не могу зайти в приложение",
        "Звонил гость, в МП после ввода кода пишет ошибку авторизации, войти не может.",
    ),
    (
        "incident",
        "касса не видит карты",
        "ТТ Аптека Здоровье Тверская: касса пишет 'карта не найдена' по всем картам гостей.",
    ),
    (
        "consultation",
        "вопрос про баллы",
        "Подскажите, через сколько дней сгорают баллы и можно ли ими оплатить всю покупку?",
    ),
    (
        "consultation",
        "баланс",
        "Гостья уточнила сколько баллов на карте и до какого числа они действуют.",
    ),
    (
        "segmentation",
        "Выборка гостей",
        "Сделайте, пожалуйста, выборку гостей, которые покупали детское питание за "
        "последние 3 месяца. Нужно количество.",
    ),
    (
        "segmentation",
        "сегмент",
        "Нужен сегмент: гости уровня Серебро из Казани без покупок за 2 месяца",
    ),
    (
        "mailing",
        "SMS рассылка",
        "Отправьте SMS рассылку по сегменту 'Спящие' в понедельник в 11:00, текст во вложении.",
    ),
    (
        "mailing",
        "отписка",
        "Гость просит больше не присылать ему рекламные смс, отпишите номер.",
    ),
    (
        "access",
        "Пароль Студия",
        "Сбросьте пароль пользователю Студии k.ivanova, учетная запись заблокирована.",
    ),
    (
        "access",
        "Новый пользователь",
        "Создайте учетку в Студии новому маркетологу Петровой, права как у Смирновой.",
    ),
    (
        "report",
        "Отчет",
        "Подготовьте отчет по списанным баллам за ноябрь в разрезе торговых точек.",
    ),
    (
        "report",
        "доработать отчет",
        "В стандартный отчет по продажам добавьте колонку с количеством чеков по картам.",
    ),
    (
        "promotion",
        "Новая акция",
        "Заведите акцию x3 баллы на чай с 1 по 7 декабря во всех ТТ КофеТайм.",
    ),
    (
        "promotion",
        "продлить акцию",
        "Продлите акцию 'Зимний кэшбэк' до конца января, условия прежние.",
    ),
    (
        "training",
        "Обучение кассиров",
        "Проведите, пожалуйста, обучение для новых кассиров нашей ТТ, 6 человек, онлайн.",
    ),
    (
        "hardware",
        "сервер",
        "На сервере лояльности в ТТ вышел из строя жесткий диск, сервер не загружается.",
    ),
    (
        "channel",
        "нет связи",
        "С утра нет связи с процессингом, VPN туннель упал, кассы работают оффлайн.",
    ),
    (
        "logging",
        "логи",
        "Пришлите логи процессинга по ТТ 112 за вчера с 10 до 12, разбираем ошибку.",
    ),
    (
        "performance",
        "медленно",
        "Процессинг отвечает очень медленно, по 8 секунд на каждый чек, сеть в порядке.",
    ),
]

# Less clear-cut requests: the right service must at least be among the three
# suggestions shown to the agent.
PLAUSIBLE_REQUESTS = [
    ("testing", "Тестирование", "Протестируйте новую версию кассового ПО на тестовом стенде."),
    ("instruction", "Инструкция", "Пришлите инструкцию для кассиров по выдаче карт."),
    ("studio", "Студия", "В Студии не открывается карточка гостя, ошибка 500."),
    (
        "pos_integration",
        "Интеграция кассы",
        "Касса после обновления модуля лояльности не передает возвраты в процессинг.",
    ),
    ("training", "вебинар", "Нужен вебинар для администраторов ТТ по правилам программы."),
    ("hardware", "ИБП", "В серверной сломался ИБП, сервер выключается при скачках."),
    ("channel", "телефония", "Не работает горячая линия 8-800, звонки не проходят."),
    ("logging", "журнал", "Нужен журнал операций по карте 7788 1111 2222 4444 за месяц."),
]


@pytest.mark.parametrize(("service", "subject", "text"), OBVIOUS_REQUESTS)
def test_obvious_unseen_requests_get_the_right_service_first(
    seed_classifier: ServiceClassifier, service: str, subject: str, text: str
) -> None:
    predictions = seed_classifier.predict(subject, text)
    assert predictions[0].service == service, predictions


@pytest.mark.parametrize(("service", "subject", "text"), PLAUSIBLE_REQUESTS)
def test_plausible_unseen_requests_have_the_right_service_among_three_suggestions(
    seed_classifier: ServiceClassifier, service: str, subject: str, text: str
) -> None:
    predictions = seed_classifier.predict(subject, text)
    assert service in {prediction.service for prediction in predictions}, predictions
