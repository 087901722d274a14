"""The demo's staff assessments: two for invigilators and one for all staff, published, each
with a couple of sections."""

from resolvers.core import clock

# graphql_examples/32-39 use them. Each question is (text, options, correct indexes).
_ASSESSMENTS = (
    (
        "Invigilation essentials",
        "What every invigilator must know, start to finish.",
        "INVIGILATORS",
        (
            (
                "Before the exam",
                None,
                3,
                (
                    (
                        "When may candidates enter the exam room?",
                        (
                            "Whenever they like",
                            "When the invigilator lets them in",
                            "After the start",
                        ),
                        (1,),
                    ),
                    (
                        "What must be on display in the room?",
                        ("The JCQ notices and a clock", "Last year's papers", "Nothing"),
                        (0,),
                    ),
                    (
                        "Which items must candidates leave outside?",
                        ("Mobile phones", "Smart watches", "Clear pencil cases"),
                        (0, 1),
                    ),
                ),
            ),
            (
                "During the exam",
                10,
                3,
                (
                    ("May an invigilator explain a question?", ("Yes", "No"), (1,)),
                    (
                        "How often should invigilators walk the room?",
                        ("Never", "Regularly and quietly", "Only at the end"),
                        (1,),
                    ),
                    (
                        "A candidate feels unwell: you...",
                        ("Ignore it", "Follow the centre's procedure and log it"),
                        (1,),
                    ),
                    ("Who signs the seating plan?", ("The lead invigilator", "A candidate"), (0,)),
                ),
            ),
        ),
    ),
    (
        "Emergencies in the exam room",
        "Fire alarms, evacuations and other interruptions.",
        "INVIGILATORS",
        (
            (
                "Evacuation",
                None,
                2,
                (
                    (
                        "On a fire alarm, first you...",
                        ("Stop the exam and note the time", "Let candidates finish"),
                        (0,),
                    ),
                    ("Candidates leave their papers...", ("In the room", "In their bags"), (0,)),
                ),
            ),
            (
                "Resuming",
                5,
                1,
                (
                    (
                        "After an evacuation the exam time is...",
                        ("Lost", "Restored from the time noted"),
                        (1,),
                    ),
                ),
            ),
        ),
    ),
    (
        "Exam regulations for all staff",
        "The JCQ rules every member of staff should know.",
        "ALL_STAFF",
        (
            (
                "Confidential materials",
                None,
                2,
                (
                    (
                        "Where are question papers kept before the exam?",
                        ("In the secure room", "In the staff room"),
                        (0,),
                    ),
                    ("Who may open a paper packet early?", ("Nobody", "Any teacher"), (0,)),
                ),
            ),
            (
                "Malpractice",
                None,
                1,
                (
                    (
                        "Suspected malpractice is reported to...",
                        ("The exams officer", "Nobody"),
                        (0,),
                    ),
                ),
            ),
        ),
    ),
)


async def seed_assessments() -> None:
    from models.assessments import Assessment, Audience, Question, Section

    now = clock.now()
    for title, description, audience, sections in _ASSESSMENTS:
        assessment = await Assessment.create(
            title=title,
            description=description,
            audience=Audience(audience),
            published_at=now,
            created_at=now,
        )
        for order, (section_title, minutes, pass_mark, questions) in enumerate(sections, 1):
            section = await Section.create(
                assessment=assessment,
                order=order,
                title=section_title,
                duration_minutes=minutes,
                pass_mark=pass_mark,
                question_count=len(questions),
            )
            for q_order, (text, options, correct) in enumerate(questions, 1):
                await Question.create(
                    section=section,
                    order=q_order,
                    text=text,
                    options=list(options),
                    correct=list(correct),
                )
